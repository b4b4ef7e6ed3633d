#ifndef DIARIUM_CCURL_H
#define DIARIUM_CCURL_H
#include <curl/curl.h>
#endif

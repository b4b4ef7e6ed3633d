#ifndef DIARIUM_CCURL_H
#define DIARIUM_CCURL_H
#include <curl/curl.h>

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadic
// functions, which Swift cannot call. One typed wrapper per argument kind keeps
// every call site type-checked (curl's own typecheck-gcc.h checks do not run
// under the toolchain's clang).

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

// The callback setters pass the option themselves so the function-pointer type
// always matches the option.
CURLcode ccurl_easy_setopt_write_callback(CURL *handle, curl_write_callback callback);
CURLcode ccurl_easy_setopt_header_callback(CURL *handle, curl_write_callback callback);
CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback);
CURLcode ccurl_easy_setopt_opensocket_callback(CURL *handle, curl_opensocket_callback callback);

// The address curl is about to connect to, for the address policy: writes it as 16
// bytes (an IPv4 address in its ::ffff:a.b.c.d form) and the port; returns 0 for a
// family other than IPv4 and IPv6.
int ccurl_sockaddr_decode(const struct curl_sockaddr *address, unsigned char bytes[16], int *port);
// What curl's own open-socket does: socket(family, socktype, protocol).
curl_socket_t ccurl_open_socket(const struct curl_sockaddr *address);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *out);
CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *out);
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **out);
CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *out);

CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

// CURLMsg carries its result in a union; reading it through C avoids relying on
// how the importer lays out anonymous unions.
CURLcode ccurl_msg_result(const CURLMsg *message);

#endif

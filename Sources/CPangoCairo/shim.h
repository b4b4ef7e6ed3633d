#ifndef CPANGOCAIRO_SHIM_H
#define CPANGOCAIRO_SHIM_H
// Pango lays the text out (line breaks, shaping, fonts found through fontconfig) and
// Cairo writes the PDF, embedding the font subsets with their Unicode maps, so the
// text can be selected and searched.
#include <pango/pangocairo.h>
#include <cairo/cairo-pdf.h>
#endif

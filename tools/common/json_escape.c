// SPDX-License-Identifier: GPL-2.0-only
/* JSON string escaping, for kipc's and kipc-bench's --json output. */
#include "json_escape.h"

void json_escape(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

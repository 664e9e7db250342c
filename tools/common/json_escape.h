/* SPDX-License-Identifier: GPL-2.0-only */
/* What kipc and kipc-bench share of JSON output. */
#ifndef _KIPC_JSON_ESCAPE_H
#define _KIPC_JSON_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write len bytes of s as a JSON string (RFC 8259), quotes included. s
 * holds UTF-8: only quotes, backslashes and controls need escapes.
 */
void json_escape(FILE *out, const char *s, size_t len);

#endif /* _KIPC_JSON_ESCAPE_H */

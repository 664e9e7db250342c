// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message contents: a header (sequence number, checksum) and a payload
 * derived from the sequence number.
 *
 * Both sides pay for this on every message, and under emulation that cost
 * is not small, so it works on 64-bit words: the checksum is FNV-1a over
 * words rather than bytes (eight times fewer multiplications), and the
 * sender fills and sums in one pass. It is a check against a transport's
 * mistakes, not against an adversary.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull
#define GOLDEN64 0x9e3779b97f4a7c15ull
/* "kb" and the direction: a message on the wrong channel fails its sum */
#define DIR_TAG 0x6b62e000u

_Static_assert(sizeof(struct bench_hdr) == 8, "the header is 8 bytes");

static uint64_t sum_seed(enum bench_dir dir, uint32_t seq, size_t len)
{
	uint64_t h = FNV64_OFFSET;

	h = (h ^ (DIR_TAG + dir)) * FNV64_PRIME;
	h = (h ^ seq) * FNV64_PRIME;
	return (h ^ len) * FNV64_PRIME;
}

static uint32_t sum_fold(uint64_t h)
{
	uint32_t sum = (uint32_t)(h >> 32) ^ (uint32_t)h;

	return sum ? sum : 1;
}

/* The payload's i-th word of message seq: every byte differs per seq. */
static uint64_t pattern(uint32_t seq, size_t i)
{
	return ((uint64_t)seq + 1) * GOLDEN64 + i * FNV64_PRIME;
}

/* FNV-1a over the words at p, then over the last len % 8 bytes. */
static uint64_t sum_payload(uint64_t h, const unsigned char *p, size_t len)
{
	size_t i, words = len / 8;
	uint64_t w;

	for (i = 0; i < words; i++) {
		/* memcpy: batched messages need not be 8-byte aligned */
		memcpy(&w, p + i * 8, 8);
		h = (h ^ w) * FNV64_PRIME;
	}
	for (i = words * 8; i < len; i++)
		h = (h ^ p[i]) * FNV64_PRIME;
	return h;
}

void bench_fill(void *buf, size_t len, enum bench_dir dir, uint32_t seq)
{
	struct bench_hdr hdr = { .seq = seq };
	unsigned char *p = (unsigned char *)buf + sizeof(hdr);
	size_t i, n = len - sizeof(hdr), words = n / 8;
	uint64_t h = sum_seed(dir, seq, len), w;

	for (i = 0; i < words; i++) {
		w = pattern(seq, i);
		memcpy(p + i * 8, &w, 8);
		h = (h ^ w) * FNV64_PRIME;
	}
	w = pattern(seq, words);
	for (i = words * 8; i < n; i++) {
		p[i] = (unsigned char)(w >> (i % 8 * 8));
		h = (h ^ p[i]) * FNV64_PRIME;
	}
	hdr.sum = sum_fold(h);
	memcpy(buf, &hdr, sizeof(hdr));
}

int bench_check(const void *buf, size_t got, size_t len, enum bench_dir dir,
		uint32_t seq, char *why, size_t whylen)
{
	struct bench_hdr hdr;
	uint32_t sum;

	if (got != len) {
		snprintf(why, whylen, "%zu bytes instead of %zu", got, len);
		return -EBADMSG;
	}
	memcpy(&hdr, buf, sizeof(hdr));
	sum = sum_fold(sum_payload(sum_seed(dir, hdr.seq, len),
				   (const unsigned char *)buf + sizeof(hdr),
				   len - sizeof(hdr)));
	if (sum != hdr.sum) {
		snprintf(why, whylen,
			 "checksum 0x%08x, header says 0x%08x (damaged, or from the other channel)",
			 sum, hdr.sum);
		return -EBADMSG;
	}
	/* a sound message, but not the one due: lost, repeated or reordered */
	if (hdr.seq != seq) {
		snprintf(why, whylen, "sequence number %u (%s)", hdr.seq,
			 hdr.seq > seq ? "lost or reordered" : "repeated or reordered");
		return -EBADMSG;
	}
	return 0;
}

/* For --fault corrupt: flip one bit in the last byte, after the checksum. */
void bench_damage(void *buf, size_t len)
{
	((unsigned char *)buf)[len - 1] ^= 0x10;
}

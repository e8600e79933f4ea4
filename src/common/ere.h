/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * POSIX extended regular expressions (as grep -E, in the C locale) matched
 * in bounded time, for --redact patterns.  The C library's regexec is not
 * bounded: back-references backtrack exponentially, and even without them
 * its lazily built DFA can take seconds per kilobyte ((a|b)*a(a|b){200}c).
 * Here a pattern is compiled to a Thompson NFA of at most ERE_MAX_STATES
 * states and run as a set of states, so one search costs at most
 * (bytes scanned) x (states), and every search takes from a work budget its
 * caller sets.
 *
 * Syntax: . [...] (with ranges, [:class:], [=c=], [.c.]) ( ) | * + ? {m}
 * {m,} {m,n} {,n} ^ $, and GNU's \w \W \s \S \b \B \< \> \` \'.  Any other
 * escaped character stands for itself.  Back-references (\1 to \9) are
 * refused.  Bytes are characters; classes are ASCII.  Matching is POSIX
 * leftmost-longest for the whole match (no submatches).
 */
#ifndef PS_ERE_H
#define PS_ERE_H

#include <stddef.h>

#define ERE_MAX_LEN    1024     /* bytes of a pattern */
#define ERE_MAX_STATES 2000     /* NFA states once repetitions are expanded */

enum ere_error {
	ERE_OK,
	ERE_ESYNTAX,            /* not a valid ERE */
	ERE_EBACKREF,           /* a back-reference */
	ERE_ESIZE,              /* longer than ERE_MAX_LEN or larger than ERE_MAX_STATES */
	ERE_ENOMEM,
};

struct ere;
struct ere_scratch;

/* Compile `pattern` into *out; otherwise an error and a reason in `why`. */
enum ere_error ere_compile(const char *pattern, struct ere **out, char *why, size_t whylen);
void ere_free(struct ere *re);

/* How many states `re` has: what a scratch for it must hold. */
size_t ere_states(const struct ere *re);

/* Room for searching with patterns of up to `states` states; NULL when out of memory. */
struct ere_scratch *ere_scratch_new(size_t states);
void ere_scratch_free(struct ere_scratch *w);

/*
 * The leftmost-longest match in s[from, len), s[0, len) being the whole
 * subject (^, $ and word boundaries are about it).  Returns 1 with the match
 * in [*so, *eo), 0 when there is none, -1 when *budget ran out first.  Each
 * state visited takes one from *budget.
 */
int ere_search(const struct ere *re, struct ere_scratch *w, const char *s, size_t len,
	       size_t from, size_t *so, size_t *eo, unsigned long *budget);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The JSON Lines file of -o: created or appended to, rotated by size at
 * record boundaries (FILE -> FILE.1 -> ... -> FILE.N), or a FIFO written as
 * a stream.  Records are whole lines handed in one at a time; a record is
 * never split between two files nor left half written in one.
 */
#ifndef PS_ROTATE_H
#define PS_ROTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROTATE_KEEP_DEFAULT 5
#define ROTATE_KEEP_MAX     999
#define ROTATE_SIZE_MIN     1024ULL
#define ROTATE_SIZE_MAX     (1ULL << 40)

struct rotfile_opts {
	bool append;        /* add to an existing file of the invoker's */
	bool force;         /* truncate an existing file (ignored with append) */
	uint64_t limit;     /* rotate before a record would take the file past this; 0: never */
	unsigned int keep;  /* rotated files kept (FILE.1 .. FILE.keep) */
};

struct rotfile;

/* Open `path` (a regular file, or an existing FIFO); NULL with a sentence in err. */
struct rotfile *rotfile_open(const char *path, const struct rotfile_opts *o, char *err, size_t errlen);

/*
 * Add one whole record (`len` bytes, its newline included).  Returns the
 * number of records that could not be written (this one, or buffered ones
 * a write it caused failed on): 0 when all is well.
 */
unsigned int rotfile_write(struct rotfile *r, const char *rec, size_t len);

/* The same for a line without its newline (added here). */
unsigned int rotfile_write_line(struct rotfile *r, const char *line, size_t len);

/* Write what is buffered.  Returns the number of records lost to a failure. */
unsigned int rotfile_flush(struct rotfile *r);

/* Flush and close; returns the records lost in that last flush. */
unsigned int rotfile_close(struct rotfile *r);

uint64_t rotfile_bytes(const struct rotfile *r);      /* bytes written, all files */
uint64_t rotfile_rotations(const struct rotfile *r);
bool rotfile_is_stream(const struct rotfile *r);      /* a FIFO */

/* "10M" -> 10485760: a number with an optional k, M or G (powers of 1024); 0 if malformed. */
uint64_t rotate_parse_size(const char *s);

#endif

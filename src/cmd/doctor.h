/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * procscope doctor: what this machine allows, which backend runs, and the
 * exact commands that fix what is missing, as text or as one JSON object.
 */
#ifndef PS_DOCTOR_H
#define PS_DOCTOR_H

/*
 * argv[0] is "doctor"; accepts --json.  Exits 0 when tracing can work, 69
 * when the kernel lacks something, 77 when capabilities are missing.
 */
int doctor_main(int argc, char **argv);

#endif

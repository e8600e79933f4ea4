/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * procscope verify DIR: is this evidence bundle intact and complete?
 * Exit 0: intact and complete; 2: intact but the capture was cut short;
 * 1: any problem (one line each on stdout); 66: no such DIR; 65: not a
 * bundle; 64: usage.
 */
#ifndef PS_VERIFY_H
#define PS_VERIFY_H

int verify_main(int argc, char **argv);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * procscope report DIR|EVENTS.jsonl [--format md|html|text] [-o OUTDIR]:
 * regenerate summary.md and report.html from a bundle (or from bare JSON
 * Lines), with the same generator the bundle writer uses.
 */
#ifndef PS_REPORT_H
#define PS_REPORT_H

int report_main(int argc, char **argv);

#endif

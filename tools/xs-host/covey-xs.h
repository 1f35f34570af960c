/*
 * covey-xs: a small XS host that measures memory the way a device sees it (docs/testing.md, "The XS
 * memory host"). main.c runs the script and its event-loop turns, meters.c reads XS's own counters,
 * globals.c gives the script its host functions.
 *
 * The host reads machine fields (slot and chunk counts, the stack, the computation meter) directly, so it
 * includes xsAll.h, as XS's own tools and xsnap do.
 */
#ifndef __COVEY_XS__
#define __COVEY_XS__

#include "xsAll.h"
#include "xs.h"

/* Exit statuses; the Node side (tools/xs/xs-host.ts) reads them. An XS abort exits with
   COVEY_EXIT_ABORT + XS's status (xs.h: 1 memory, 2 stack overflow, 5 unhandled exception, ...). */
enum {
	COVEY_EXIT_OK = 0,
	COVEY_EXIT_USAGE = 64,
	COVEY_EXIT_IO = 66,
	COVEY_EXIT_SCRIPT = 70,
	COVEY_EXIT_ABORT = 80,
};

/* One reading of the meters. Heap figures are meaningful after a garbage collection. */
typedef struct {
	txSize slots;          /* the->currentHeapCount: slots in use */
	txSize chunkBytes;     /* the->currentChunksSize: chunk bytes in use, headers included */
	txInteger keys;        /* property names and symbols created so far (XS "Keys used") */
	txInteger restingSlots;/* stack depth where the host rested when the meters were reset */
	txInteger stackSlots;  /* deepest slot written below the resting point since then (painted) */
	txInteger xsStackSlots;/* XS's own peak below the resting point (the->stackPeak) */
	txInteger entrySlots;  /* deepest point at which the script marked the entry into device code */
	txU4 compute;          /* computrons since the meters were reset (the->meterIndex, mxMetering) */
} CoveySample;

/* meters.c */
extern void coveyResetMeters(txMachine* the);
extern void coveyReadMeters(txMachine* the, CoveySample* sample);
extern void coveyMarkEntry(txMachine* the);
extern void coveyWriteSample(FILE* out, const CoveySample* sample);
extern void coveyWriteJsonString(FILE* out, const char* text);

/* globals.c */
extern void coveyInstallGlobals(txMachine* the);

/* The protocol stream: one line per message, "<kind> <JSON>". */
extern FILE* coveyOut;

#endif /* __COVEY_XS__ */

/*
 * The meters: XS's own counters, read from the machine, and a stack high-water mark.
 *
 * Slots and chunk bytes are XS's currentHeapCount and currentChunksSize (xsMemory.c): after a garbage
 * collection they are exactly what is live. They are the figures a device's "XS Slot Heap Used" and "XS
 * Chunk Heap Used" instruments show.
 *
 * The stack is measured two ways, both as depth below where the host rested when the step began (the
 * top of the stack holds what XS keeps there for itself; see "resting" below):
 * - XS's stackPeak (mxInstrument), which xsbug shows as "Stack used". XS updates it only when a function
 *   returns (xsRun.c, XS_CODE_END), with the stack as it is at that moment, so it misses the temporaries
 *   of an expression in flight (the arguments of a call into a host function, say).
 * - Painting, as an RTOS measures a task's stack: every free slot below the stack pointer is filled with
 *   a pattern when the meters are reset, and afterwards the deepest slot that no longer holds it is the
 *   high-water mark. XS writes every slot it pushes, so this counts temporaries too; it is the figure
 *   reported as the stack peak. XS also borrows the free end of the stack as scratch memory (number
 *   conversions in xsdtoa.c, regular expressions in xsre.c), writing upwards from the bottom; the scan
 *   therefore walks down from the resting point and stops at the first run of untouched slots.
 * Resting: a machine created from scratch, as here, keeps its intrinsics (about 170 slots) at the top of
 * its stack. A device's machine is cloned from the preloaded one (fxCloneMachine), whose intrinsics stay
 * in flash, so only a couple of dozen slots rest there. Depths are therefore reported above the resting
 * point, and the resting depth separately.
 */
#include "covey-xs.h"

#define STACK_PAINT 0xA5
/* Untouched slots in a row that end the scan: a frame never leaves a gap this long. */
#define UNTOUCHED_RUN 16

/* Where the stack pointer was when the meters were last reset. */
static txSlot* restingPoint = C_NULL;
/* The deepest point, below the resting one, at which the script said device code begins. */
static txInteger entryDepth = 0;

static int isPainted(const txSlot* slot)
{
	const unsigned char* byte = (const unsigned char*)slot;
	size_t i;
	for (i = 0; i < sizeof(txSlot); i++) {
		if (byte[i] != STACK_PAINT)
			return 0;
	}
	return 1;
}

static txInteger paintedDepth(txMachine* the)
{
	txSlot* lowest = restingPoint;
	txSlot* slot;
	int run = 0;
	for (slot = restingPoint - 1; slot >= the->stackBottom && run < UNTOUCHED_RUN; slot--) {
		if (isPainted(slot))
			run++;
		else {
			run = 0;
			lowest = slot;
		}
	}
	return (txInteger)(restingPoint - lowest);
}

void coveyResetMeters(txMachine* the)
{
	restingPoint = the->stack;
	entryDepth = 0;
	c_memset(the->stackBottom, STACK_PAINT, (the->stack - the->stackBottom) * sizeof(txSlot));
	the->stackPeak = the->stack;
	the->meterIndex = 0;
}

void coveyReadMeters(txMachine* the, CoveySample* sample)
{
	if (!restingPoint)
		coveyResetMeters(the);
	sample->slots = the->currentHeapCount;
	sample->chunkBytes = the->currentChunksSize;
	sample->keys = the->keyIndex - the->keyOffset;
	sample->restingSlots = (txInteger)(the->stackTop - restingPoint);
	sample->stackSlots = paintedDepth(the);
	sample->xsStackSlots = the->stackPeak < restingPoint ? (txInteger)(restingPoint - the->stackPeak) : 0;
	sample->entrySlots = entryDepth;
	sample->compute = the->meterIndex;
}

/*
 * Called from a host function: the script's caller is about to run device code (a timer callback, say)
 * and everything below it on the stack is the scenario's plumbing, which a device does not have. The
 * caller's stack pointer, before it pushed the call, is just above the host function's `this`
 * (xsAll.h: mxThis is frame + 4).
 */
void coveyMarkEntry(txMachine* the)
{
	txInteger depth;
	if (!restingPoint)
		return;
	depth = (txInteger)(restingPoint - (the->frame + 5));
	if (depth > entryDepth)
		entryDepth = depth;
}

void coveyWriteSample(FILE* out, const CoveySample* sample)
{
	fprintf(out, "\"slots\":%ld,\"chunkBytes\":%ld,\"keys\":%ld,\"restingSlots\":%ld,\"stackSlots\":%ld,"
		"\"xsStackSlots\":%ld,\"entrySlots\":%ld,\"compute\":%lu",
		(long)sample->slots, (long)sample->chunkBytes, (long)sample->keys, (long)sample->restingSlots,
		(long)sample->stackSlots, (long)sample->xsStackSlots, (long)sample->entrySlots, (unsigned long)sample->compute);
}

/* Writes `text` as a JSON string (RFC 8259 §7). */
void coveyWriteJsonString(FILE* out, const char* text)
{
	const unsigned char* c = (const unsigned char*)text;
	fputc('"', out);
	for (; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

/*
 * The host functions covey-xs gives a script, beside XS's built-ins:
 *   gc()                 a full, compacting garbage collection
 *   print(...values)     one line on stderr (stdout carries the protocol)
 *   meter()              {slots, chunkBytes, keys, restingSlots, stackSlots, xsStackSlots, entrySlots,
 *                        compute}: see meters.c; call gc() first for live figures
 *   resetMeters()        restarts the stack high-water mark and the computation count
 *   markEntry()          tells the host that device code starts here (a scenario's clock calls it before
 *                        each timer callback): the stack below is plumbing a device does not have
 *   hostCall(text)       sends one line to the Node side and returns its one-line answer, synchronously:
 *                        how a scenario's ports (an Http answered by a test's oracle, say) reach Node
 *   performance.now()    milliseconds, for timing on the host
 *   TextEncoder, TextDecoder   Moddable's own (modules/data/text), as on a device
 */
#include "covey-xs.h"
#include <sys/time.h>

extern void modInstallTextDecoder(xsMachine* the);
extern void modInstallTextEncoder(xsMachine* the);

static void host_gc(xsMachine* the)
{
	xsCollectGarbage();
}

static void host_print(xsMachine* the)
{
	xsIntegerValue count = xsToInteger(xsArgc), i;
	for (i = 0; i < count; i++) {
		if (i)
			fputc(' ', stderr);
		fputs(xsToString(xsArg(i)), stderr);
	}
	fputc('\n', stderr);
	fflush(stderr);
}

static void host_meter(xsMachine* the)
{
	CoveySample sample;
	coveyReadMeters(the, &sample);
	xsVars(1);
	xsResult = xsNewObject();
	xsVar(0) = xsInteger(sample.slots);
	xsSet(xsResult, xsID("slots"), xsVar(0));
	xsVar(0) = xsInteger(sample.chunkBytes);
	xsSet(xsResult, xsID("chunkBytes"), xsVar(0));
	xsVar(0) = xsInteger(sample.keys);
	xsSet(xsResult, xsID("keys"), xsVar(0));
	xsVar(0) = xsInteger(sample.restingSlots);
	xsSet(xsResult, xsID("restingSlots"), xsVar(0));
	xsVar(0) = xsInteger(sample.stackSlots);
	xsSet(xsResult, xsID("stackSlots"), xsVar(0));
	xsVar(0) = xsInteger(sample.xsStackSlots);
	xsSet(xsResult, xsID("xsStackSlots"), xsVar(0));
	xsVar(0) = xsInteger(sample.entrySlots);
	xsSet(xsResult, xsID("entrySlots"), xsVar(0));
	xsVar(0) = xsNumber(sample.compute);
	xsSet(xsResult, xsID("compute"), xsVar(0));
}

static void host_resetMeters(xsMachine* the)
{
	coveyResetMeters(the);
}

static void host_markEntry(xsMachine* the)
{
	coveyMarkEntry(the);
}

/* The request must be one line; the answer is the next line on stdin, without its newline. */
static void host_hostCall(xsMachine* the)
{
	char* request = xsToString(xsArg(0));
	char* answer = NULL;
	size_t capacity = 0;
	ssize_t length;
	if (c_strchr(request, '\n') || c_strchr(request, '\r'))
		xsRangeError("hostCall: the request must be one line");
	fputs("call ", coveyOut);
	fputs(request, coveyOut);
	fputc('\n', coveyOut);
	fflush(coveyOut);
	length = getline(&answer, &capacity, stdin);
	if (length < 0) {
		free(answer);
		xsUnknownError("hostCall: no answer (stdin closed)");
	}
	if (length > 0 && answer[length - 1] == '\n')
		answer[--length] = 0;
	xsResult = xsStringBuffer(answer, (xsIntegerValue)length);
	free(answer);
}

static void host_now(xsMachine* the)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	xsResult = xsNumber((double)tv.tv_sec * 1000.0 + (double)tv.tv_usec / 1000.0);
}

static void define(xsMachine* the, const char* name, xsCallback callback, xsIntegerValue length)
{
	xsResult = xsNewHostFunction(callback, length);
	xsDefine(xsGlobal, xsID((char*)name), xsResult, xsDontEnum);
}

void coveyInstallGlobals(txMachine* the)
{
	xsBeginHost(the);
	{
		xsVars(1);
		define(the, "gc", host_gc, 0);
		define(the, "print", host_print, 1);
		define(the, "meter", host_meter, 0);
		define(the, "resetMeters", host_resetMeters, 0);
		define(the, "markEntry", host_markEntry, 0);
		define(the, "hostCall", host_hostCall, 1);
		xsVar(0) = xsNewObject();
		xsResult = xsNewHostFunction(host_now, 0);
		xsDefine(xsVar(0), xsID("now"), xsResult, xsDontEnum);
		xsDefine(xsGlobal, xsID("performance"), xsVar(0), xsDontEnum);
		modInstallTextDecoder(the);
		modInstallTextEncoder(the);
	}
	xsEndHost(the);
}

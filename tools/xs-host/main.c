/*
 * covey-xs [-a <args>] [-n <turns>] <script.js>
 *
 * Runs a script in a roomy XS machine, then drives the scenario it installs one event-loop turn at a
 * time, with a garbage collection after every turn, and writes one line of figures per turn on stdout.
 * The protocol and what the figures mean: docs/testing.md, "The XS memory host". In short:
 *
 *   hello  {"xs", "slotBytes", "chunkHeaderBytes", "stackCapacitySlots"}
 *   loaded {meters}                 the script evaluated, its promise jobs run, collected
 *   base   {meters}                 coveyScenario.prepare(args) done (the world that is not the device)
 *   start  {meters, "counters"}     coveyScenario.start(): the measured runtime built
 *   turn   {"turn", "more", meters, "counters"}   one per coveyScenario.turn()
 *   report <JSON>                   coveyScenario.report(), if it has one
 *   end    {"turns"}
 *   call   <text>                   hostCall(text); the answer is the next line on stdin
 *   error  {"phase", "message"}     the script threw (exit 70)
 *   abort  {"status", "reason"}     XS gave up: memory, stack, keys (exit 80 + XS's status)
 *
 * A script that installs no coveyScenario is simply run (its figures are the "loaded" line).
 * The scenario's methods take and return strings (counters and report as JSON text): the Node side
 * parses them, so the host never builds JSON from JavaScript values.
 */
#include "covey-xs.h"

FILE* coveyOut;

typedef struct {
	const char* scriptPath;
	const char* args;
	long maxTurns;
} CoveyOptions;

static void usage(void)
{
	fprintf(stderr, "usage: covey-xs [-a <args>] [-n <turns>] <script.js>\n"
		"  -a <args>   text passed to coveyScenario.prepare (JSON by convention)\n"
		"  -n <turns>  stop after this many turns (default: when turn() returns false)\n");
	exit(COVEY_EXIT_USAGE);
}

static void parseOptions(int argc, char* argv[], CoveyOptions* options)
{
	int i;
	options->scriptPath = NULL;
	options->args = "{}";
	options->maxTurns = 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-a") && i + 1 < argc)
			options->args = argv[++i];
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			options->maxTurns = strtol(argv[++i], NULL, 10);
		else if (argv[i][0] != '-' && !options->scriptPath)
			options->scriptPath = argv[i];
		else
			usage();
	}
	if (!options->scriptPath || options->maxTurns < 0)
		usage();
}

static char* readFile(const char* path, size_t* size)
{
	FILE* file = fopen(path, "rb");
	char* buffer = NULL;
	long length;
	if (file && fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0) {
		buffer = malloc((size_t)length + 1);
		if (buffer && fread(buffer, 1, (size_t)length, file) == (size_t)length) {
			buffer[length] = 0;
			*size = (size_t)length;
		}
		else {
			free(buffer);
			buffer = NULL;
		}
	}
	if (file)
		fclose(file);
	if (!buffer) {
		fprintf(stderr, "covey-xs: cannot read %s\n", path);
		exit(COVEY_EXIT_IO);
	}
	return buffer;
}

void fxQueuePromiseJobs(txMachine* the)
{
	the->promiseJobs = 1;
}

/* The rest of an event-loop turn: promise jobs until none is left, then what XS does at the end of a
   job (weak references, finalization registries, unhandled rejections). */
static void runJobs(txMachine* the)
{
	do {
		while (the->promiseJobs) {
			the->promiseJobs = 0;
			fxRunPromiseJobs(the);
		}
		fxEndJob(the);
	} while (the->promiseJobs);
}

void fxAbort(txMachine* the, int status)
{
	static const char* const reasons[] = {
		"debugger", "not enough memory", "stack overflow", "fatal check", "dead strip",
		"unhandled exception", "no more keys", "too much computation", "unhandled rejection",
	};
	const char* reason = (status >= 0 && status <= xsUnhandledRejectionExit) ? reasons[status] : "unknown";
	fprintf(coveyOut, "abort {\"status\":%d,\"reason\":\"%s\"", status, reason);
	if (status == xsUnhandledExceptionExit || status == xsUnhandledRejectionExit) {
		xsTry {
			fputs(",\"message\":", coveyOut);
			coveyWriteJsonString(coveyOut, xsToString(xsException));
		}
		xsCatch {
		}
	}
	fputs("}\n", coveyOut);
	fflush(coveyOut);
	exit(COVEY_EXIT_ABORT + status);
}

static void fail(txMachine* the, const char* phase)
{
	fprintf(coveyOut, "error {\"phase\":\"%s\",\"message\":", phase);
	coveyWriteJsonString(coveyOut, xsToString(xsException));
	fputs("}\n", coveyOut);
	fflush(coveyOut);
	exit(COVEY_EXIT_SCRIPT);
}

/* Calls coveyScenario[method](argument) if the scenario has that method; returns a copy of the result
   as text (NULL when it returned undefined or the method is absent). */
static char* callScenario(xsMachine* machine, const char* method, const char* argument)
{
	char* text = NULL;
	xsBeginHost(machine);
	{
		xsVars(3);
		xsTry {
			xsVar(0) = xsGet(xsGlobal, xsID("coveyScenario"));
			xsVar(1) = xsGet(xsVar(0), xsID((char*)method));
			if (xsTypeOf(xsVar(1)) != xsUndefinedType) {
				xsVar(2) = argument ? xsString((char*)argument) : xsUndefined;
				xsVar(2) = xsCallFunction1(xsVar(1), xsVar(0), xsVar(2));
				if (xsTypeOf(xsVar(2)) != xsUndefinedType)
					text = strdup(xsToString(xsVar(2)));
			}
		}
		xsCatch {
			fail(the, method);
		}
	}
	xsEndHost(machine);
	return text;
}

static int hasScenario(txMachine* machine)
{
	int result = 0;
	xsBeginHost(machine);
	{
		xsVars(1);
		xsVar(0) = xsGet(xsGlobal, xsID("coveyScenario"));
		result = xsTypeOf(xsVar(0)) == xsReferenceType;
	}
	xsEndHost(machine);
	return result;
}

/*
 * One metered step: reset the meters, call `method`, run the promise jobs, read compute and stack, read
 * the scenario's counters (when `withCounters`), collect, read the heap. Writes
 * `<kind> {<prefix>meters, "counters"}` and returns the text `method` returned (the caller frees it).
 */
static char* meteredStep(xsMachine* machine, const char* kind, const char* method, const char* argument,
	const char* prefix, int withCounters)
{
	CoveySample sample, heap;
	char* result = NULL;
	char* counters = NULL;
	coveyResetMeters(machine);
	if (method)
		result = callScenario(machine, method, argument);
	xsBeginHost(machine);
	runJobs(the);
	xsEndHost(machine);
	coveyReadMeters(machine, &sample);
	if (withCounters)
		counters = callScenario(machine, "counters", NULL);
	xsBeginHost(machine);
	xsCollectGarbage();
	xsEndHost(machine);
	coveyReadMeters(machine, &heap);
	sample.slots = heap.slots;
	sample.chunkBytes = heap.chunkBytes;
	sample.keys = heap.keys;
	fprintf(coveyOut, "%s {%s", kind, prefix ? prefix : "");
	coveyWriteSample(coveyOut, &sample);
	if (counters)
		fprintf(coveyOut, ",\"counters\":%s", counters);
	fputs("}\n", coveyOut);
	fflush(coveyOut);
	free(counters);
	return result;
}

static void load(txMachine* machine, const char* path)
{
	size_t size;
	char* script = readFile(path, &size);
	xsBeginHost(machine);
	{
		xsVars(1);
		xsTry {
			xsVar(0) = xsStringBuffer(script, (xsIntegerValue)size);
			xsCall1(xsGlobal, xsID("eval"), xsVar(0));
		}
		xsCatch {
			fail(the, "load");
		}
	}
	xsEndHost(machine);
	free(script);
	free(meteredStep(machine, "loaded", NULL, NULL, NULL, 0));
}

/* Turns until the scenario says it is done or `maxTurns` (0: no limit) have run; returns how many ran. */
static long runTurns(xsMachine* machine, long maxTurns)
{
	char prefix[64];
	long turns = 0;
	int again = 1;
	while (again && (maxTurns == 0 || turns < maxTurns)) {
		char* more;
		turns++;
		snprintf(prefix, sizeof(prefix), "\"turn\":%ld,", turns);
		more = meteredStep(machine, "turn", "turn", NULL, prefix, 1);
		again = more && !strcmp(more, "true");
		free(more);
	}
	return turns;
}

/* prepare, start, the turns and the report, each step metered. */
static void runScenario(xsMachine* machine, const CoveyOptions* options)
{
	long turns;
	char* report;
	free(meteredStep(machine, "base", "prepare", options->args, NULL, 0));
	free(meteredStep(machine, "start", "start", NULL, NULL, 1));
	turns = runTurns(machine, options->maxTurns);
	report = callScenario(machine, "report", NULL);
	if (report)
		fprintf(coveyOut, "report %s\n", report);
	free(report);
	fprintf(coveyOut, "end {\"turns\":%ld}\n", turns);
}

int main(int argc, char* argv[])
{
	CoveyOptions options;
	xsMachine* machine;
	/* Roomy, for loading: a bundle parsed at run time needs far more than a device gives (on a device
	   the code is precompiled into flash). Nothing here limits what the figures can show. */
	xsCreation creation = {
		1024 * 1024,      /* initialChunkSize */
		256 * 1024,       /* incrementalChunkSize */
		32 * 1024,        /* initialHeapCount */
		8 * 1024,         /* incrementalHeapCount */
		4096,             /* stackCount */
		2048,             /* initialKeyCount */
		1024,             /* incrementalKeyCount */
		1993,             /* nameModulo */
		127,              /* symbolModulo */
		1024 * 1024,      /* parserBufferSize */
		1993,             /* parserTableModulo */
		0,                /* staticSize */
	};
	parseOptions(argc, argv, &options);
	coveyOut = stdout;
	fxInitializeSharedCluster();
	machine = xsCreateMachine(&creation, "covey-xs", NULL);
	fprintf(coveyOut, "hello {\"xs\":\"%d.%d.%d\",\"slotBytes\":%d,\"chunkHeaderBytes\":%d,\"stackCapacitySlots\":%d}\n",
		XS_MAJOR_VERSION, XS_MINOR_VERSION, XS_PATCH_VERSION, (int)sizeof(txSlot), (int)sizeof(txChunk), creation.stackCount);
	coveyInstallGlobals(machine);
	load(machine, options.scriptPath);
	if (hasScenario(machine))
		runScenario(machine, &options);
	else
		fprintf(coveyOut, "end {\"turns\":0}\n");
	fflush(coveyOut);
	xsDeleteMachine(machine);
	fxTerminateSharedCluster();
	return COVEY_EXIT_OK;
}

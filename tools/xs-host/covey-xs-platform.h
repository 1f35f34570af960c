/*
 * Platform definitions for covey-xs, the XS memory host (tools/xs-host/). XS includes this file through
 * xsPlatform.h when built with -DINCLUDE_XSPLATFORM -DXSPLATFORM="covey-xs-platform.h".
 *
 * The host is a plain POSIX program: XS's default allocators, key builder and script parser
 * (xsPlatforms.c, mxUseDefault*), no debugger connection and no modules. The promise queue and the abort
 * handler are our own (main.c): the host drains promise jobs after each event-loop turn, as a device's
 * main loop does, and reports an abort on its output before it exits.
 * Keys stay 16-bit, as on a device (no mx32bitID).
 */
#ifndef __COVEY_XS_PLATFORM__
#define __COVEY_XS_PLATFORM__

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__) || defined(__i386__) || defined(__arm__))
	#undef mxLittleEndian
	#define mxLittleEndian 1
	#if defined(__linux__)
		#undef mxLinux
		#define mxLinux 1
	#else
		#undef mxMacOSX
		#define mxMacOSX 1
	#endif
	#define XS_FUNCTION_NORETURN __attribute__((noreturn))
#else
	#error "covey-xs builds with gcc or clang on a little-endian Linux or macOS host"
#endif

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <unistd.h>

#define mxUseGCCAtomics 1
#define mxUsePOSIXThreads 1

/* promiseJobs: set by fxQueuePromiseJobs, cleared by the loop that runs them (main.c). The waiter
   fields are what xsAtomics.c needs for Atomics.wait with POSIX threads. */
#define mxMachinePlatform \
	int promiseJobs; \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink;

#define mxUseDefaultMachinePlatform 1
#define mxUseDefaultBuildKeys 1
#define mxUseDefaultChunkAllocation 1
#define mxUseDefaultSlotAllocation 1
#define mxUseDefaultFindModule 1
#define mxUseDefaultLoadModule 1
#define mxUseDefaultParseScript 1
#define mxUseDefaultSharedChunks 1

#endif /* __COVEY_XS_PLATFORM__ */

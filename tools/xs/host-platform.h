/*
 * XS platform header for our test host (tools/xs/host.c), selected with -DXSPLATFORM="host-platform.h".
 * Linux/macOS on x86-64 or arm64 only: this program runs in CI and on developer machines, never on a device.
 * The machine fields below are what platform.c needs: the promise-job flag, the exit status and the
 * device-heap accounting (see platform.c for the model).
 */
#ifndef __MQTT5XS_HOST_PLATFORM__
#define __MQTT5XS_HOST_PLATFORM__

#undef mxLittleEndian
#define mxLittleEndian 1
#if defined(__linux__)
	#undef mxLinux
	#define mxLinux 1
#else
	#undef mxMacOSX
	#define mxMacOSX 1
#endif
#define mxExport extern
#define mxImport extern
#define XS_FUNCTION_NORETURN __attribute__((noreturn))

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#define mxUseGCCAtomics 1
#define mxUsePOSIXThreads 1

#define mxMachinePlatform \
	void* waiterCondition; \
	void* waiterData; \
	void* waiterLink; \
	int promiseJobsQueued; \
	int exitStatus; \
	int deviceHeapActive; \
	long deviceHeapLimit; \
	long deviceSlotSize; \
	long deviceStackSlots; \
	void* hostStackBottom; \
	long deviceBaseSlots; \
	long deviceBaseChunks; \
	void* deviceFlashSlots; \
	long deviceFlashSlotCount; \
	long deviceFlashSlotsDead; \
	void* deviceChunkPins; \
	long deviceChunkPinCount;

/* xsMemory.c alone is compiled with mxHostCollectHook (xs-host.mk): the call that ends every collection,
   fxCheckProfiler(the, C_NULL), goes to platform.c, which takes the dead slots of the device's flash off
   the free list (see platform.c) and then calls fxCheckProfiler itself. */
#ifdef mxHostCollectHook
	#define fxCheckProfiler fxHostCollected
#endif

/* Module code buffers stay allocated, as code in flash would (platform.c, fxArchiveCode). */
extern void fxHostFree(void* pointer);
#define c_free fxHostFree

#define mxUseDefaultBuildKeys 1
#define mxUseDefaultParseScript 1
#define mxUseDefaultSharedChunks 1

#endif

/*
 * The XS platform layer of our test host: what the engine asks of its embedder (memory, modules from
 * files, promise-job scheduling, fatal errors). host.c holds the program and the JS globals.
 *
 * Device heap model (host option --device-heap, JS deviceHeap()): on an ESP8266, Moddable runs the VM in
 * one static block (`creation.static`, 32768 bytes): chunks grow from one end, slots (16 bytes each on a
 * 32-bit MCU) from the other, and the 256-slot stack lives there too. Built-ins and preloaded modules are
 * in flash, so the block only holds what the app creates at run time. Here the built-ins and the bundle's
 * module code live in the heap, so accounting starts at a baseline taken (after a collection) when JS calls
 * deviceHeap(): from then on every growth of the slot or chunk heap is charged
 *     deviceSlotSize * (slots reserved - slots live at baseline) + (chunk bytes reserved - chunk bytes live
 *     at baseline) + deviceSlotSize * stack slots
 * and a growth that would pass the limit fails, which XS turns into "memory full" (fatal, as on a device).
 * Growth steps are the ESP8266 ones (64 slots, 512 chunk bytes), so the heap stays tight.
 *
 * What is live at the baseline is in flash on the device, so its room is never heap room, not even once
 * those objects die (the bulk of them: the bundle's module-level objects that nothing references once its
 * evaluation ends). Were that room reused, the host would not grow where the device must, and that growth
 * would go uncharged. So, from deviceHeap() until the process ends or deviceHeap() is called again:
 * - slots: deviceHeap() records the address of every slot live at the baseline (deviceFlashSlots, sorted);
 *   the end of every collection (fxHostCollected, routed there by host-platform.h) takes those that died off
 *   the free list, so they are never handed out again: an allocation that finds no other free slot grows the
 *   heap (and is charged, or refused past the limit), as on the device;
 * - chunks: collections compact the chunk heap, so a chunk has no fixed address to recognize it by. Instead
 *   deviceHeap() pins every chunk live at the baseline with a C-side string slot at the end of the machine's
 *   roots (deviceChunkPins): such a chunk stays in the heap, moved by compaction like any other, and its room
 *   is never reused.
 * The charge formula is unchanged; the host's heap now grows when the device's would. So "device bytes" is
 * the room the app's own slots and chunks needed at their peak (live at a collection, since XS grows only when
 * a collection leaves no room), in 64-slot and 512-byte steps, plus the stack.
 *
 * The stack: a
 * device machine is cloned from the one in flash and keeps only 13 per-machine entries on its 256-slot
 * stack; a machine created here keeps ~170 built-in prototypes there, and a test bundle's one module frame
 * holds every binding of every module. So the stack limit moves instead: from the deviceHeap() call on,
 * code below that point may use 256 - 13 slots, and going deeper is a fatal stack overflow. Host chunks carry
 * 16-byte headers instead of 8, so the model errs on the side of using more memory than the device.
 */
#include "xsAll.h"
#include "xsScript.h"

#define HOST_EXIT_NOT_ENOUGH_MEMORY 3
#define HOST_EXIT_STACK_OVERFLOW 4
#define HOST_EXIT_FATAL 5
#define HOST_EXIT_UNHANDLED 1

static long fxDeviceBytesAfter(txMachine* the, txSize moreSlots, txSize moreChunks)
{
	long slots = (long)the->maximumHeapCount + (long)moreSlots - the->deviceBaseSlots;
	long chunks = (long)the->maximumChunksSize + (long)moreChunks - the->deviceBaseChunks;
	return (slots + the->deviceStackSlots) * the->deviceSlotSize + chunks;
}

long fxHostDeviceHeapBytes(txMachine* the)
{
	return fxDeviceBytesAfter(the, 0, 0);
}

static int fxCompareAddresses(const void* a, const void* b)
{
	txSlot* x = *(txSlot* const*)a;
	txSlot* y = *(txSlot* const*)b;
	return (x < y) ? -1 : (x > y) ? 1 : 0;
}

static int fxIsFlashSlot(txMachine* the, txSlot* slot)
{
	txSlot** flash = (txSlot**)the->deviceFlashSlots;
	long low = 0, high = the->deviceFlashSlotCount;
	while (low < high) {
		long middle = low + (high - low) / 2;
		if (flash[middle] == slot)
			return 1;
		if (flash[middle] < slot)
			low = middle + 1;
		else
			high = middle;
	}
	return 0;
}

/* Records every slot live now (just after a collection): all heap slots but those on the free list. */
static void fxRecordFlashSlots(txMachine* the)
{
	txSlot** flash = (txSlot**)c_malloc(((size_t)the->currentHeapCount + 1) * sizeof(txSlot*));
	long count = 0;
	txSlot* heap;
	txSlot* slot;
	if (!flash)
		fxAbort(the, XS_NOT_ENOUGH_MEMORY_EXIT);
	for (slot = the->freeHeap; slot; slot = slot->next)
		slot->flag |= XS_MARK_FLAG; /* free slots only: live ones are unmarked after a collection */
	for (heap = the->firstHeap; heap; heap = heap->next) {
		for (slot = heap + 1; slot < heap->value.reference; slot++) {
			if (slot->flag & XS_MARK_FLAG)
				slot->flag &= ~XS_MARK_FLAG;
			else if (count < (long)the->currentHeapCount)
				flash[count++] = slot;
			else
				count++;
		}
	}
	if (count != (long)the->currentHeapCount) {
		fprintf(stderr, "xs-host: %ld slots live at the device-heap baseline, XS counts %ld\n", count, (long)the->currentHeapCount);
		fxAbort(the, XS_FATAL_CHECK_EXIT);
	}
	qsort(flash, (size_t)count, sizeof(txSlot*), fxCompareAddresses);
	the->deviceFlashSlots = flash;
	the->deviceFlashSlotCount = count;
	the->deviceFlashSlotsDead = 0;
}

/* Pins every chunk live now (just after a compacting collection, so each block holds live chunks only). */
static void fxPinFlashChunks(txMachine* the)
{
	txBlock* block;
	txByte* chunk;
	txSlot* pins;
	long count = 0, i = 0;
	for (block = the->firstBlock; block; block = block->nextBlock)
		for (chunk = (txByte*)block + sizeof(txBlock); chunk < block->current; chunk = ((txChunk*)chunk)->temporary)
			count++;
	pins = (txSlot*)c_calloc((size_t)count + 1, sizeof(txSlot));
	if (!pins)
		fxAbort(the, XS_NOT_ENOUGH_MEMORY_EXIT);
	for (block = the->firstBlock; block; block = block->nextBlock) {
		for (chunk = (txByte*)block + sizeof(txBlock); chunk < block->current; chunk = ((txChunk*)chunk)->temporary) {
			/* A string slot marks its chunk and follows it when compaction moves it, whatever the chunk holds. */
			pins[i].ID = XS_NO_ID;
			pins[i].kind = XS_STRING_KIND;
			pins[i].value.string = (txString)(chunk + sizeof(txChunk));
			pins[i].next = &pins[i + 1];
			i++;
		}
	}
	if (count) {
		/* Last of all roots (xsRemember prepends): XS skips the items of an array whose chunk is already
		   marked, so a pin must mark a live array's chunk only after the array's own marking went through it. */
		txSlot** link = &the->cRoot;
		while (*link)
			link = &(*link)->next;
		pins[count - 1].next = C_NULL;
		*link = pins;
	}
	the->deviceChunkPins = pins;
	the->deviceChunkPinCount = count;
}

/* Gives the flash back to the heap: its dead slots become free at the next collection, its chunks too. */
static void fxForgetFlash(txMachine* the)
{
	txSlot* pins = (txSlot*)the->deviceChunkPins;
	if (pins && the->deviceChunkPinCount) {
		txSlot** link = &the->cRoot;
		while (*link && (*link != pins))
			link = &(*link)->next;
		if (*link)
			*link = pins[the->deviceChunkPinCount - 1].next;
	}
	c_free(pins);
	c_free(the->deviceFlashSlots);
	the->deviceChunkPins = C_NULL;
	the->deviceChunkPinCount = 0;
	the->deviceFlashSlots = C_NULL;
	the->deviceFlashSlotCount = 0;
	the->deviceFlashSlotsDead = 0;
}

/* The end of every collection (xsMemory.c's call, renamed in host-platform.h): flash slots leave the free list. */
void fxHostCollected(txMachine* the, txSlot* frame)
{
	if (the->deviceFlashSlotCount) {
		txSlot** link = &the->freeHeap;
		long dead = 0;
		while (*link) {
			if (fxIsFlashSlot(the, *link)) {
				*link = (*link)->next;
				dead++;
			}
			else
				link = &(*link)->next;
		}
		the->deviceFlashSlotsDead = dead;
	}
	fxCheckProfiler(the, frame);
}

void fxHostBeginDeviceHeap(txMachine* the, long limit, long slotSize, long stackSlots, txSize slotStep, txSize chunkStep)
{
	the->deviceStackSlots = stackSlots;
	if (!the->deviceHeapActive) {
		the->hostStackBottom = the->stackBottom;
		if (the->stack - stackSlots > the->stackBottom)
			the->stackBottom = the->stack - stackSlots;
	}
	fxForgetFlash(the);
	fxCollectGarbage(the);
	fxRecordFlashSlots(the);
	fxPinFlashChunks(the);
	the->deviceBaseSlots = (long)the->currentHeapCount;
	the->deviceBaseChunks = (long)the->currentChunksSize;
	the->deviceHeapLimit = limit;
	the->deviceSlotSize = slotSize;
	the->minimumHeapCount = slotStep;
	the->minimumChunksSize = chunkStep;
	the->deviceHeapActive = 1;
}

static int fxDeviceHeapRefuses(txMachine* the, txSize moreSlots, txSize moreChunks)
{
	if (!the->deviceHeapActive)
		return 0;
	if (getenv("XS_HOST_TRACE_HEAP"))
		fprintf(stderr, "xs-host: heap grows by %ld slots / %ld bytes: %ld device bytes, live %ld slots %ld chunk bytes (flash included), %ld flash slots dead, %d collections\n",
			(long)moreSlots, (long)moreChunks, fxDeviceBytesAfter(the, moreSlots, moreChunks),
			(long)the->currentHeapCount - the->deviceBaseSlots, (long)the->currentChunksSize - the->deviceBaseChunks,
			the->deviceFlashSlotsDead, (int)the->garbageCollectionCount);
	if (fxDeviceBytesAfter(the, moreSlots, moreChunks) <= the->deviceHeapLimit)
		return 0;
	fprintf(stderr, "xs-host: device heap of %ld bytes exhausted (%ld in use, growing by %ld slots / %ld bytes)\n",
		the->deviceHeapLimit, fxDeviceBytesAfter(the, 0, 0), (long)moreSlots, (long)moreChunks);
	return 1;
}

void* fxAllocateChunks(txMachine* the, txSize size)
{
	if (fxDeviceHeapRefuses(the, 0, size))
		return C_NULL;
	return c_malloc(size);
}

void fxFreeChunks(txMachine* the, void* chunks)
{
	c_free(chunks);
}

txSlot* fxAllocateSlots(txMachine* the, txSize count)
{
	if (fxDeviceHeapRefuses(the, count, 0))
		return C_NULL;
	return (txSlot*)c_malloc(count * sizeof(txSlot));
}

void fxFreeSlots(txMachine* the, void* slots)
{
	c_free(slots);
}

void fxCreateMachinePlatform(txMachine* the)
{
	the->promiseJobsQueued = 0;
	the->exitStatus = 0;
	the->deviceHeapActive = 0;
	the->deviceFlashSlots = C_NULL;
	the->deviceFlashSlotCount = 0;
	the->deviceFlashSlotsDead = 0;
	the->deviceChunkPins = C_NULL;
	the->deviceChunkPinCount = 0;
}

void fxDeleteMachinePlatform(txMachine* the)
{
}

void fxQueuePromiseJobs(txMachine* the)
{
	the->promiseJobsQueued = 1;
}

/* Runs queued promise jobs until none is left; returns whether any ran. */
int fxHostRunPromiseJobs(txMachine* the)
{
	int ran = 0;
	while (the->promiseJobsQueued) {
		the->promiseJobsQueued = 0;
		fxRunPromiseJobs(the);
		ran = 1;
	}
	return ran;
}

void fxHostCheckRejectionsAtExit(txMachine* the)
{
	fxCheckUnhandledRejections(the, 1);
}

/* Fatal conditions end the process at once: a test must never read a verdict from a broken machine. */
void fxAbort(txMachine* the, int status)
{
	int code = HOST_EXIT_FATAL;
	const char* why = "fatal error";
	switch (status) {
	case XS_NOT_ENOUGH_MEMORY_EXIT: why = "memory full"; code = HOST_EXIT_NOT_ENOUGH_MEMORY; break;
	case XS_STACK_OVERFLOW_EXIT: why = "stack overflow"; code = HOST_EXIT_STACK_OVERFLOW; break;
	case XS_NO_MORE_KEYS_EXIT: why = "not enough keys"; break;
	case XS_TOO_MUCH_COMPUTATION_EXIT: why = "too much computation"; break;
	case XS_UNHANDLED_EXCEPTION_EXIT: why = "unhandled exception"; code = HOST_EXIT_UNHANDLED; break;
	case XS_UNHANDLED_REJECTION_EXIT: why = "unhandled rejection"; code = HOST_EXIT_UNHANDLED; break;
	default: break;
	}
	fflush(stdout);
	if ((status == XS_UNHANDLED_EXCEPTION_EXIT) || (status == XS_UNHANDLED_REJECTION_EXIT)) {
		char message[512];
		fxToStringBuffer(the, &mxException, message, sizeof(message));
		fprintf(stderr, "xs-host: %s: %s\n", why, message);
	}
	else
		fprintf(stderr, "xs-host: %s\n", why);
	fflush(stderr);
	exit(code);
}

/* Module specifiers are file paths, relative ones resolved against the importing module. */
txID fxFindModule(txMachine* the, txSlot* realm, txID moduleID, txSlot* slot)
{
	char name[C_PATH_MAX];
	char path[C_PATH_MAX];
	char real[C_PATH_MAX];
	fxToStringBuffer(the, slot, name, sizeof(name));
	if ((name[0] == '.') && (moduleID != XS_NO_ID)) {
		char* slash;
		c_strncpy(path, fxGetKeyName(the, moduleID), C_PATH_MAX - 1);
		path[C_PATH_MAX - 1] = 0;
		slash = c_strrchr(path, '/');
		if (!slash)
			return XS_NO_ID;
		slash[1] = 0;
		if ((c_strlen(path) + c_strlen(name)) >= sizeof(path))
			mxRangeError("path too long");
		c_strcat(path, name);
	}
	else
		c_strcpy(path, name);
	if (!c_realpath(path, real))
		return XS_NO_ID;
	return fxNewNameC(the, real);
}

static txScript* fxLoadScript(txMachine* the, txString path, txUnsigned flags)
{
	txParser _parser;
	txParser* parser = &_parser;
	txParserJump jump;
	FILE* file = NULL;
	txScript* script = NULL;
	fxInitializeParser(parser, the, the->parserBufferSize, the->parserTableModulo);
	parser->firstJump = &jump;
	file = fopen(path, "r");
	if (c_setjmp(jump.jmp_buf) == 0) {
		mxParserThrowElse(file);
		parser->path = fxNewParserSymbol(parser, path);
		fxParserTree(parser, file, (txGetter)fgetc, flags, NULL);
		fclose(file);
		file = NULL;
		fxParserHoist(parser);
		fxParserBind(parser);
		script = fxParserCode(parser);
	}
	if (file)
		fclose(file);
	fxTerminateParser(parser);
	return script;
}

/*
 * Module code as on a device. Moddable's build links modules into flash, with the "archive" forms of two
 * opcodes: functions run from the code where it lies and string literals point into it. Code that XS
 * compiles at run time instead copies every function body into the chunk heap when the function is
 * created, and every string literal into a new chunk each time it is evaluated: allocations a device never
 * makes, which would show in the budgets. So the host rewrites those opcodes to their archive forms and
 * keeps the code buffer for the life of the process (fxHostFree below), as flash would.
 */
#define HOST_MAX_PERMANENT_CODE 16
static void* gPermanentCode[HOST_MAX_PERMANENT_CODE];
static int gPermanentCodeCount = 0;

void fxHostFree(void* pointer)
{
	int i;
	for (i = 0; i < gPermanentCodeCount; i++)
		if (gPermanentCode[i] == pointer)
			return;
	free(pointer);
}

static void fxArchiveCode(txScript* script)
{
	txByte* p = script->codeBuffer;
	txByte* q = p + script->codeSize;
	if (gPermanentCodeCount == HOST_MAX_PERMANENT_CODE)
		return; /* more modules than expected: leave them as compiled (correct, only less device-like) */
	while (p < q) {
		txU1 code = *((txU1*)p);
		txS1 offset = gxCodeSizes[code];
		if ((code == XS_CODE_STRING_1) || (code == XS_CODE_STRING_2) || (code == XS_CODE_STRING_4))
			*p = (txByte)(code + (XS_CODE_STRING_ARCHIVE_1 - XS_CODE_STRING_1));
		else if ((code == XS_CODE_CODE_1) || (code == XS_CODE_CODE_2) || (code == XS_CODE_CODE_4))
			*p = (txByte)(code + (XS_CODE_CODE_ARCHIVE_1 - XS_CODE_CODE_1));
		if (0 < offset)
			p += offset;
		else if (0 == offset)
			p += 1 + sizeof(txID);
		else if (-1 == offset) {
			txU1 length = *((txU1*)(p + 1));
			p += 2 + length;
		}
		else if (-2 == offset) {
			txU2 length;
			p++;
			mxDecode2(p, length);
			p += length;
		}
		else {
			txS4 length;
			p++;
			mxDecode4(p, length);
			p += length;
		}
	}
	gPermanentCode[gPermanentCodeCount++] = script->codeBuffer;
}

void fxLoadModule(txMachine* the, txSlot* module, txID moduleID)
{
	txString path = fxGetKeyName(the, moduleID);
	txScript* script = fxLoadScript(the, path, 0);
	if (script) {
		fxArchiveCode(script);
		fxResolveModule(the, module, moduleID, script, C_NULL, C_NULL);
	}
}

/* Counters for host.c, which includes only xs.h. Reading them allocates nothing. */
txInteger fxHostSlotsInUse(txMachine* the) { return (txInteger)the->currentHeapCount; }
txInteger fxHostChunkBytes(txMachine* the) { return (txInteger)the->currentChunksSize; }
txInteger fxHostCollections(txMachine* the) { return (txInteger)the->garbageCollectionCount; }
/* Gives the stack back its full size (XS frees it from stackBottom). */
void fxHostEndDeviceHeap(txMachine* the)
{
	if (the->deviceHeapActive)
		the->stackBottom = (txSlot*)the->hostStackBottom;
	the->deviceHeapActive = 0;
	fxForgetFlash(the);
}

/* Deepest stack use so far, in slots (XS tracks the low-water mark of the stack pointer). */
txInteger fxHostStackPeak(txMachine* the) { return (txInteger)(the->stackTop - the->stackPeak); }
void fxHostResetStackPeak(txMachine* the) { the->stackPeak = the->stack; }
txUnsigned fxHostMeter(txMachine* the) { return the->meterIndex; }
void fxHostSetMeter(txMachine* the, txUnsigned value) { the->meterIndex = value; }

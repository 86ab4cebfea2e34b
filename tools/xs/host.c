/*
 * xs-host: runs one ES module on the XS engine for tests and benchmarks.
 *
 *   xs-host [--device-heap] [--channel] module.mjs
 *
 * Exit status: 0 only when the module (and everything it scheduled) completed; 1 when the module threw,
 * a promise rejection went unhandled or a callback threw; 3 memory full; 4 stack overflow; 5 other fatal
 * errors; 2 bad usage. Test harnesses still check a verdict line printed by the module.
 *
 * Globals given to JS (typed in tools/xs/globals.d.ts):
 *   print(...values)                 one line on stdout
 *   meter() / resetMeter()           computrons (XS's deterministic instruction count) since the last reset;
 *                                    resetMeter() returns the count and zeroes it
 *   slotsInUse() / chunkBytes() / gcCount()
 *                                    XS's allocation counters, returned as integers (reading them allocates
 *                                    nothing); a delta is meaningful only if gcCount() did not change
 *   gc()                             full collection
 *   stackPeak(reset)                 deepest use of the XS stack so far, in slots; reset: start again from here
 *   deviceHeap(limitBytes)           starts ESP8266-style fixed-heap accounting (see platform.c); returns
 *                                    the device bytes charged at the baseline. What is live then counts as
 *                                    in flash: its room is never reused, even once it is garbage. From then
 *                                    on, code called below this point may use the 371 stack slots the
 *                                    esp8266 target's app has (384 less 13 a cloned machine keeps).
 *   deviceHeapBytes()                device bytes charged now (reserved slots and chunks since the baseline)
 *   now()                            monotonic milliseconds
 *   setAlarm(ms, callback)           the one timer: calls callback after ms; a negative ms cancels it
 *   channelListen(buffer, onFrame)   frames from the parent (fd 3) are copied into the ArrayBuffer `buffer`
 *                                    and onFrame(length) is called; onFrame(-1) when the parent closes
 *   channelSend(buffer, start, end)  sends ArrayBuffer bytes [start, end) to the parent (fd 4) as one frame
 *   finish()                         ends the event loop: no further alarm or frame is delivered
 *   flashOpen(path, byteLength, blockSize)
 *                                    the device's flash, kept in a file that outlives the process (see below)
 *   flashRead(offset, buffer, at, length) / flashWrite(offset, buffer, at, length) / flashErase(block)
 *                                    NOR flash: reads; writes that AND into the bytes (programming only clears
 *                                    bits); erases that set a block to 0xFF
 * A frame on the channel is a 4-byte big-endian length followed by that many bytes.
 *
 * The flash stand-in is for devices that lose their RAM (the simulator's --sleep and --power-cuts, make
 * soak-power): each wake is a new process over the same file. XS_HOST_FLASH_CUT=N in the environment cuts the
 * power at flash step N (steps count bytes programmed and blocks erased since the process started): the
 * bytes before it are programmed, the byte it hits only partly (some of the bits it was to clear), or the
 * block it erases only partly (every byte some of the way to 0xFF); then the process kills itself with
 * SIGKILL, as a pulled plug would, after one line on stderr saying where. Written bytes are in the file at
 * once (the machine keeps them; only the process dies).
 * The process runs until no alarm is set and the channel is not listened to.
 */
#include "xs.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>

#define CHANNEL_IN_FD 3
#define CHANNEL_OUT_FD 4
#define ESP8266_STATIC_BYTES 32768
/* The esp8266 target's stack (targets/esp8266/manifest.json creation.stack; Moddable's ESP8266 default is 256).
   Measured on Moddable's own engine (SDK 8.2.3, mcsim): the device app needs more than 256 slots and at most
   320 in a release build, so the target sets 384, and the 32 KB block holds it. */
#define ESP8266_STACK_SLOTS 384
/* Entries a machine cloned from flash keeps on its own stack (fxCloneMachine: global, exception, program,
   hosts, module queue, unhandled promises, jobs lists, inspectors). */
#define CLONED_MACHINE_STACK_ENTRIES 13

extern void fxHostBeginDeviceHeap(xsMachine* the, long limit, long slotSize, long stackSlots, xsIntegerValue slotStep, xsIntegerValue chunkStep);
extern void fxHostEndDeviceHeap(xsMachine* the);
extern long fxHostDeviceHeapBytes(xsMachine* the);
extern int fxHostRunPromiseJobs(xsMachine* the);
extern void fxHostCheckRejectionsAtExit(xsMachine* the);

/* Host-side state of the one machine this program runs. */
typedef struct {
	int moduleSettled;
	int moduleFailed;
	int alarmSet;
	double alarmAt;
	int listening;
	int finished;
	/* The flash stand-in: its file, size and erase block; steps so far, and the step a power cut hits (-1: none). */
	int flashFd;
	long flashBytes;
	long flashBlock;
	long flashSteps;
	long flashCut;
	/* A JS object (remembered, so never collected) holding the alarm callback, the channel's buffer and
	   its callback: copying JS values into C globals would hide them from the collector. */
	xsSlot holder;
} HostState;

static HostState gHost;

/* XS-internal fields this host reads; declared here so that host.c needs only xs.h. */
extern xsIntegerValue fxHostSlotsInUse(xsMachine* the);
extern xsIntegerValue fxHostChunkBytes(xsMachine* the);
extern xsIntegerValue fxHostCollections(xsMachine* the);
extern xsUnsignedValue fxHostMeter(xsMachine* the);
extern xsIntegerValue fxHostStackPeak(xsMachine* the);
extern void fxHostResetStackPeak(xsMachine* the);
extern void fxHostSetMeter(xsMachine* the, xsUnsignedValue value);

static double monotonicMs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void xs_print(xsMachine* the)
{
	xsIntegerValue c = xsToInteger(xsArgc), i;
	for (i = 0; i < c; i++) {
		if (i)
			fputc(' ', stdout);
		fputs(xsToString(xsArg(i)), stdout);
	}
	fputc('\n', stdout);
	fflush(stdout);
}

static void xs_meter(xsMachine* the)
{
	xsResult = xsNumber((double)fxHostMeter(the));
}

static void xs_resetMeter(xsMachine* the)
{
	xsResult = xsNumber((double)fxHostMeter(the));
	fxHostSetMeter(the, 0);
}

static void xs_slotsInUse(xsMachine* the)
{
	xsResult = xsInteger(fxHostSlotsInUse(the));
}

static void xs_chunkBytes(xsMachine* the)
{
	xsResult = xsInteger(fxHostChunkBytes(the));
}

static void xs_gcCount(xsMachine* the)
{
	xsResult = xsInteger(fxHostCollections(the));
}

static void xs_stackPeak(xsMachine* the)
{
	xsResult = xsInteger(fxHostStackPeak(the));
	if ((xsToInteger(xsArgc) > 0) && xsTest(xsArg(0)))
		fxHostResetStackPeak(the);
}

static void xs_gc(xsMachine* the)
{
	xsCollectGarbage();
}

static void xs_deviceHeap(xsMachine* the)
{
	long limit = (xsToInteger(xsArgc) > 0) ? xsToInteger(xsArg(0)) : ESP8266_STATIC_BYTES;
	/* ESP8266: 16-byte slots, growth by 64 slots and 512 chunk bytes (creation of Moddable's manifest_base.json). */
	fxHostBeginDeviceHeap(the, limit, 16, ESP8266_STACK_SLOTS - CLONED_MACHINE_STACK_ENTRIES, 64, 512);
	xsResult = xsNumber((double)fxHostDeviceHeapBytes(the));
}

static void xs_deviceHeapBytes(xsMachine* the)
{
	xsResult = xsNumber((double)fxHostDeviceHeapBytes(the));
}

static void xs_now(xsMachine* the)
{
	xsResult = xsNumber(monotonicMs());
}

static void xs_setAlarm(xsMachine* the)
{
	double ms = xsToNumber(xsArg(0));
	if ((ms < 0) || gHost.finished) {
		gHost.alarmSet = 0;
		xsSet(gHost.holder, xsID("alarm"), xsUndefined);
		return;
	}
	xsSet(gHost.holder, xsID("alarm"), xsArg(1));
	gHost.alarmAt = monotonicMs() + ms;
	gHost.alarmSet = 1;
}

static void xs_channelListen(xsMachine* the)
{
	(void)xsGetArrayBufferLength(xsArg(0)); /* throws unless an ArrayBuffer */
	if (gHost.finished)
		return;
	xsSet(gHost.holder, xsID("buffer"), xsArg(0));
	xsSet(gHost.holder, xsID("onFrame"), xsArg(1));
	gHost.listening = 1;
}

static int writeAll(int fd, const unsigned char* bytes, size_t length)
{
	while (length > 0) {
		ssize_t n = write(fd, bytes, length);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		bytes += n;
		length -= (size_t)n;
	}
	return 0;
}

static int readAll(int fd, unsigned char* bytes, size_t length)
{
	while (length > 0) {
		ssize_t n = read(fd, bytes, length);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return -1;
		bytes += n;
		length -= (size_t)n;
	}
	return 0;
}

static void xs_channelSend(xsMachine* the)
{
	xsIntegerValue length = xsGetArrayBufferLength(xsArg(0));
	xsIntegerValue start = xsToInteger(xsArg(1));
	xsIntegerValue end = xsToInteger(xsArg(2));
	unsigned char header[4];
	unsigned char* data;
	if ((start < 0) || (end < start) || (end > length))
		xsRangeError("channelSend: bad range");
	header[0] = (unsigned char)((end - start) >> 24);
	header[1] = (unsigned char)((end - start) >> 16);
	header[2] = (unsigned char)((end - start) >> 8);
	header[3] = (unsigned char)(end - start);
	data = (unsigned char*)xsToArrayBuffer(xsArg(0));
	if (writeAll(CHANNEL_OUT_FD, header, 4) || writeAll(CHANNEL_OUT_FD, data + start, (size_t)(end - start)))
		xsUnknownError("channelSend: %s", strerror(errno));
}

/* Ends the event loop after the current callback: no alarm, no channel (timers left by a client under
   test must not keep the process alive once the verdict is printed). */
static void xs_finish(xsMachine* the)
{
	gHost.finished = 1;
	gHost.alarmSet = 0;
	gHost.listening = 0;
}

/* ---- the flash stand-in ---- */

static void flashRange(xsMachine* the, long offset, long length)
{
	if (gHost.flashFd < 0)
		xsUnknownError("flash: flashOpen() first");
	if ((offset < 0) || (length < 0) || (offset + length > gHost.flashBytes))
		xsRangeError("flash: [%ld, %ld) is outside the %ld-byte area", offset, offset + length, gHost.flashBytes);
}

static void flashTransfer(xsMachine* the, int writing, long offset, unsigned char* bytes, long length)
{
	ssize_t n = writing ? pwrite(gHost.flashFd, bytes, (size_t)length, offset) : pread(gHost.flashFd, bytes, (size_t)length, offset);
	if (n != length)
		xsUnknownError("flash: %s", strerror(errno));
}

/* The power goes now: what was transferred stays in the file, the process dies as if unplugged. */
static void flashPowerCut(const char* what, long step)
{
	fprintf(stderr, "xs-host: power cut in a flash %s at step %ld\n", what, step);
	fflush(stderr);
	raise(SIGKILL);
}

static void xs_flashOpen(xsMachine* the)
{
	const char* cut = getenv("XS_HOST_FLASH_CUT");
	long byteLength = xsToInteger(xsArg(1));
	long blockSize = xsToInteger(xsArg(2));
	struct stat info;
	if (gHost.flashFd >= 0)
		xsUnknownError("flash: already open");
	if ((blockSize <= 0) || (byteLength <= 0) || (byteLength % blockSize))
		xsRangeError("flash: the area must be whole blocks");
	gHost.flashFd = open(xsToString(xsArg(0)), O_RDWR | O_CREAT, 0644);
	if ((gHost.flashFd < 0) || fstat(gHost.flashFd, &info))
		xsUnknownError("flash: %s", strerror(errno));
	gHost.flashBytes = byteLength;
	gHost.flashBlock = blockSize;
	gHost.flashSteps = 0;
	gHost.flashCut = cut ? atol(cut) : -1;
	srand((unsigned)getpid());
	/* A new (or shorter) file is erased flash. */
	if (info.st_size < byteLength) {
		unsigned char* blank = malloc((size_t)(byteLength - info.st_size));
		if (!blank)
			xsUnknownError("flash: no memory");
		memset(blank, 0xFF, (size_t)(byteLength - info.st_size));
		flashTransfer(the, 1, (long)info.st_size, blank, byteLength - (long)info.st_size);
		free(blank);
	}
}

static void xs_flashRead(xsMachine* the)
{
	long offset = xsToInteger(xsArg(0));
	long at = xsToInteger(xsArg(2));
	long length = xsToInteger(xsArg(3));
	flashRange(the, offset, length);
	if ((at < 0) || (at + length > xsGetArrayBufferLength(xsArg(1))))
		xsRangeError("flashRead: the buffer is too short");
	flashTransfer(the, 0, offset, (unsigned char*)xsToArrayBuffer(xsArg(1)) + at, length);
}

static void xs_flashWrite(xsMachine* the)
{
	long offset = xsToInteger(xsArg(0));
	long at = xsToInteger(xsArg(2));
	long length = xsToInteger(xsArg(3));
	unsigned char* bytes;
	long i, cut = -1;
	flashRange(the, offset, length);
	if ((at < 0) || (at + length > xsGetArrayBufferLength(xsArg(1))))
		xsRangeError("flashWrite: the buffer is too short");
	if (length == 0)
		return;
	bytes = malloc((size_t)length);
	if (!bytes)
		xsUnknownError("flash: no memory");
	flashTransfer(the, 0, offset, bytes, length);
	{
		const unsigned char* from = (const unsigned char*)xsToArrayBuffer(xsArg(1)) + at;
		if ((gHost.flashCut >= gHost.flashSteps) && (gHost.flashCut < gHost.flashSteps + length))
			cut = gHost.flashCut - gHost.flashSteps;
		for (i = 0; i < length; i++) {
			if (i == cut) {
				bytes[i] &= from[i] | (unsigned char)rand();
				break;
			}
			bytes[i] &= from[i];
		}
	}
	flashTransfer(the, 1, offset, bytes, (cut >= 0) ? cut + 1 : length);
	free(bytes);
	if (cut >= 0)
		flashPowerCut("write", gHost.flashCut);
	gHost.flashSteps += length;
}

static void xs_flashErase(xsMachine* the)
{
	long block = xsToInteger(xsArg(0));
	long i;
	unsigned char* bytes;
	flashRange(the, block * gHost.flashBlock, gHost.flashBlock);
	bytes = malloc((size_t)gHost.flashBlock);
	if (!bytes)
		xsUnknownError("flash: no memory");
	if (gHost.flashSteps == gHost.flashCut) {
		flashTransfer(the, 0, block * gHost.flashBlock, bytes, gHost.flashBlock);
		for (i = 0; i < gHost.flashBlock; i++)
			bytes[i] |= (unsigned char)rand();
	}
	else
		memset(bytes, 0xFF, (size_t)gHost.flashBlock);
	flashTransfer(the, 1, block * gHost.flashBlock, bytes, gHost.flashBlock);
	free(bytes);
	if (gHost.flashSteps == gHost.flashCut)
		flashPowerCut("erase", gHost.flashCut);
	gHost.flashSteps++;
}

static void xs_moduleFulfilled(xsMachine* the)
{
	gHost.moduleSettled = 1;
}

static void xs_moduleRejected(xsMachine* the)
{
	gHost.moduleSettled = 1;
	gHost.moduleFailed = 1;
	fprintf(stderr, "xs-host: module failed: %s\n", xsToString(xsArg(0)));
	if (xsTypeOf(xsArg(0)) == xsReferenceType) {
		xsResult = xsGet(xsArg(0), xsID("stack"));
		if (xsTypeOf(xsResult) == xsStringType)
			fprintf(stderr, "%s\n", xsToString(xsResult));
	}
}

static const struct { const char* name; xsCallback callback; xsIntegerValue length; } gGlobals[] = {
	{ "print", xs_print, 1 },
	{ "meter", xs_meter, 0 },
	{ "resetMeter", xs_resetMeter, 0 },
	{ "slotsInUse", xs_slotsInUse, 0 },
	{ "chunkBytes", xs_chunkBytes, 0 },
	{ "gcCount", xs_gcCount, 0 },
	{ "gc", xs_gc, 0 },
	{ "stackPeak", xs_stackPeak, 0 },
	{ "deviceHeap", xs_deviceHeap, 1 },
	{ "deviceHeapBytes", xs_deviceHeapBytes, 0 },
	{ "now", xs_now, 0 },
	{ "setAlarm", xs_setAlarm, 2 },
	{ "channelListen", xs_channelListen, 2 },
	{ "channelSend", xs_channelSend, 3 },
	{ "finish", xs_finish, 0 },
	{ "flashOpen", xs_flashOpen, 3 },
	{ "flashRead", xs_flashRead, 4 },
	{ "flashWrite", xs_flashWrite, 4 },
	{ "flashErase", xs_flashErase, 1 },
};

static void buildGlobals(xsMachine* the)
{
	size_t i;
	for (i = 0; i < sizeof(gGlobals) / sizeof(gGlobals[0]); i++) {
		xsResult = xsNewHostFunction(gGlobals[i].callback, gGlobals[i].length);
		xsDefine(xsGlobal, xsID(gGlobals[i].name), xsResult, xsDontEnum);
	}
}

/* Reads one frame into the listening buffer and hands it to JS; EOF ends listening with onFrame(-1). */
static void deliverFrame(xsMachine* the)
{
	unsigned char header[4];
	xsIntegerValue length = -1;
	xsVars(2);
	xsVar(0) = xsGet(gHost.holder, xsID("buffer"));
	xsVar(1) = xsGet(gHost.holder, xsID("onFrame"));
	if (readAll(CHANNEL_IN_FD, header, 4) == 0) {
		length = (xsIntegerValue)(((unsigned)header[0] << 24) | ((unsigned)header[1] << 16) | ((unsigned)header[2] << 8) | header[3]);
		if (length > xsGetArrayBufferLength(xsVar(0))) {
			fprintf(stderr, "xs-host: frame of %d bytes does not fit the channel buffer\n", (int)length);
			exit(5);
		}
		if (readAll(CHANNEL_IN_FD, (unsigned char*)xsToArrayBuffer(xsVar(0)), (size_t)length)) {
			fprintf(stderr, "xs-host: channel closed in the middle of a frame\n");
			exit(5);
		}
	}
	if (length < 0)
		gHost.listening = 0;
	xsCallFunction1(xsVar(1), xsUndefined, xsInteger(length));
}

static void fireAlarm(xsMachine* the)
{
	xsVars(1);
	xsVar(0) = xsGet(gHost.holder, xsID("alarm"));
	gHost.alarmSet = 0;
	xsSet(gHost.holder, xsID("alarm"), xsUndefined);
	xsCallFunction0(xsVar(0), xsUndefined);
}

/* The event loop: promise jobs first, then the channel and the alarm, until nothing is left to wait for. */
static void runLoop(xsMachine* the)
{
	for (;;) {
		struct pollfd pfd;
		int timeout = -1;
		fxHostRunPromiseJobs(the);
		if (!gHost.alarmSet && !gHost.listening)
			break;
		if (gHost.alarmSet) {
			double wait = gHost.alarmAt - monotonicMs();
			timeout = (wait <= 0) ? 0 : (int)(wait + 0.999);
		}
		pfd.fd = CHANNEL_IN_FD;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, gHost.listening ? 1 : 0, timeout) < 0 && errno != EINTR) {
			fprintf(stderr, "xs-host: poll: %s\n", strerror(errno));
			exit(5);
		}
		xsBeginHost(the);
		{
			if (gHost.listening && (pfd.revents & (POLLIN | POLLHUP | POLLERR)))
				deliverFrame(the);
			else if (gHost.alarmSet && (gHost.alarmAt <= monotonicMs()))
				fireAlarm(the);
		}
		xsEndHost(the);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: xs-host [--device-heap] module.mjs\n");
	exit(2);
}

int main(int argc, char* argv[])
{
	/* Host-sized creation: room for the built-ins, which a device keeps in flash. With --device-heap the
	   growth steps are the ESP8266 ones from the start, so the heap is tight when deviceHeap() is called. */
	xsCreation creation = {
		4 * 1024 * 1024,	/* initialChunkSize */
		1024 * 1024,		/* incrementalChunkSize */
		64 * 1024,			/* initialHeapCount */
		16 * 1024,			/* incrementalHeapCount */
		4096,				/* stackCount */
		4096,				/* initialKeyCount */
		1024,				/* incrementalKeyCount */
		1993,				/* nameModulo */
		127,				/* symbolModulo */
		4 * 1024 * 1024,	/* parserBufferSize */
		1993,				/* parserTableModulo */
		0,					/* staticSize */
	};
	const char* path = NULL;
	char real[4096];
	xsMachine* machine;
	int argi, status;
	for (argi = 1; argi < argc; argi++) {
		if (!strcmp(argv[argi], "--device-heap")) {
			creation.initialChunkSize = 1536;
			creation.incrementalChunkSize = 512;
			creation.initialHeapCount = 512;
			creation.incrementalHeapCount = 64;
		}
		else if (argv[argi][0] == '-')
			usage();
		else
			path = argv[argi];
	}
	if (!path)
		usage();
	if (!realpath(path, real)) {
		fprintf(stderr, "xs-host: cannot find %s\n", path);
		return 2;
	}
	memset(&gHost, 0, sizeof(gHost));
	gHost.flashFd = -1;
	machine = xsCreateMachine(&creation, "xs-host", NULL);
	xsBeginHost(machine);
	{
		xsVars(2);
		gHost.holder = xsNewObject();
		xsRemember(gHost.holder);
		xsSet(gHost.holder, xsID("alarm"), xsUndefined);
		xsSet(gHost.holder, xsID("buffer"), xsUndefined);
		xsSet(gHost.holder, xsID("onFrame"), xsUndefined);
		buildGlobals(the);
		xsResult = xsAwaitImport(real, XS_IMPORT_ASYNC);
		xsVar(0) = xsNewHostFunction(xs_moduleFulfilled, 1);
		xsVar(1) = xsNewHostFunction(xs_moduleRejected, 1);
		xsCall2(xsResult, xsID("then"), xsVar(0), xsVar(1));
	}
	xsEndHost(machine);
	runLoop(machine);
	fxHostCheckRejectionsAtExit(machine);
	fflush(stdout);
	status = 0;
	if (gHost.moduleFailed)
		status = 1;
	else if (!gHost.moduleSettled) {
		fprintf(stderr, "xs-host: the module never finished evaluating (top-level await on something that never came)\n");
		status = 1;
	}
	fxHostEndDeviceHeap(machine);
	xsDeleteMachine(machine);
	return status;
}

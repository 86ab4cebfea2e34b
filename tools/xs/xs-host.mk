# Builds build/xs/xs-host: our test host (host.c, platform.c) linked with the XS engine sources that the
# npm package @agoric/xsnap ships. Run through tools/xs/build.sh; make skips it when nothing changed.
XS_PKG ?= node_modules/@agoric/xsnap/moddable/xs
OUT ?= build/xs
OBJ = $(OUT)/obj

XS_SOURCES = xsAll xsAPI xsArguments xsArray xsAtomics xsBigInt xsBoolean xsCode xsCommon xsDataView \
	xsDate xsDebug xsDefaults xsError xsFunction xsGenerator xsGlobal xsJSON xsLexical xsLockdown xsMapSet \
	xsMarshall xsMath xsMemory xsModule xsNumber xsObject xsPlatforms xsProfile xsPromise xsProperty \
	xsProxy xsRegExp xsRun xsScope xsScript xsSourceMap xsString xsSymbol xsSyntaxical xsTree xsType \
	xsdtoa xsre xsmc
OBJECTS = $(XS_SOURCES:%=$(OBJ)/%.o) $(OBJ)/platform.o $(OBJ)/host.o

# Metering gives computrons; instrumentation gives the collection count; mxParse/mxRun let the host compile and run source modules. No debugger, no
# snapshots: a release build like the engine in Moddable's device builds.
CFLAGS_XS = -O2 -fno-common -DINCLUDE_XSPLATFORM -DXSPLATFORM=\"host-platform.h\" \
	-DmxMetering=1 -DmxInstrument=1 -DmxParse=1 -DmxRun=1 -DmxSloppy=1 -DmxBoundsCheck=1 \
	-DmxRegExpUnicodePropertyEscapes=1 -DmxStringNormalize=1 -DmxMinusZero=1 \
	-Itools/xs -I$(XS_PKG)/includes -I$(XS_PKG)/platforms -I$(XS_PKG)/sources \
	-Wno-misleading-indentation -Wno-implicit-fallthrough -w

$(OUT)/xs-host: $(OBJECTS)
	$(CC) $(OBJECTS) -lm -ldl -lpthread -o $@

$(OBJ)/%.o: $(XS_PKG)/sources/%.c tools/xs/host-platform.h | $(OBJ)
	$(CC) $(CFLAGS_XS) -c $< -o $@

# The device heap's flash (platform.c) needs to act at the end of every collection: host-platform.h routes
# that one call of xsMemory.c to platform.c.
$(OBJ)/xsMemory.o: CFLAGS_XS += -DmxHostCollectHook=1
$(OBJ)/xsMemory.o: tools/xs/xs-host.mk

$(OBJ)/platform.o: tools/xs/platform.c tools/xs/host-platform.h | $(OBJ)
	$(CC) $(CFLAGS_XS) -c $< -o $@

$(OBJ)/host.o: tools/xs/host.c tools/xs/host-platform.h | $(OBJ)
	$(CC) $(CFLAGS_XS) -c $< -o $@

$(OBJ):
	mkdir -p $@

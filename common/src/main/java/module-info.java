/**
 * Helpers pyloom's modules share. Internal: its package is exported to pyloom's own modules
 * only, so a program that has {@code pyloom-common} on its module path cannot call it, and one
 * on the class path has no reason to.
 */
module dev.pyloom.common {
    exports dev.pyloom.common to
            dev.pyloom.threading,
            dev.pyloom.ipc,
            dev.pyloom.multiprocessing,
            dev.pyloom.asyncio,
            dev.pyloom.cluster;
}

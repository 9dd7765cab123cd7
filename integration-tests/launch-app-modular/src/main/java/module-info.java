/**
 * A small application as a named module. Its tasks are invoked reflectively by pyloom, in the
 * workers, and their arguments and results are records Jackson builds: the package is opened to
 * both, as the multiprocessing README says.
 */
module dev.pyloom.it.modular {
    requires dev.pyloom.multiprocessing;

    exports dev.pyloom.it.modular;
    opens dev.pyloom.it.modular to dev.pyloom.multiprocessing, tools.jackson.databind;
}

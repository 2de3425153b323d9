import base from "../../vitest.base";

// vitest.base defines __TAVT_CLI_VERSION__ as tsup does at build time, so tests of the sources see the version.
export default base;

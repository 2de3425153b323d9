import base from "../../vitest.base";

export default base;

/**
 * The service-provider interface between the engine-neutral core, the bindings and the script engines:
 * bindings implement {@link dev.resty4j.spi.NativeModule}; engines expose every module found on the class
 * path to scripts.
 */
package dev.resty4j.spi;

/**
 * The bindings of the C core: one class per C file of {@code native/}, each with its
 * {@code static native} methods and thin checking wrappers, {@link io.jasyncio.internal.natives.Errors}
 * turning {@code -errno} results into exceptions, and
 * {@link io.jasyncio.internal.natives.NativeLibrary}, which loads the library. Nothing else in
 * jasyncio calls JNI. Internal: not exported by the module.
 */
package io.jasyncio.internal.natives;

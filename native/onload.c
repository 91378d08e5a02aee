/*
 * JNI registration. Every file of the core owns a table of static JNI functions and a
 * jasyncio__<file>_register() for it; JNI_OnLoad runs them in order and, if one fails, undoes
 * the ones that succeeded, so a failed System.load leaves no half-bound class behind.
 * JNI_OnLoad is the only symbol the library exports.
 */
#include "jasyncio_internal.h"

/*
 * The contract between this library and its Java classes (method tables, encodings). Bump it on
 * any incompatible change. Keep in sync with NativeLibrary.ABI_VERSION, which refuses a library
 * (say, a stale -Djasyncio.native.path) whose number differs.
 */
#define JASYNCIO__ABI_VERSION 1

#define JASYNCIO__LOADER_CLASS "io/jasyncio/internal/natives/NativeLibrary"

int jasyncio__register_natives(JNIEnv *env, const char *class_name,
                               const JNINativeMethod *methods, int count) {
  jclass cls = (*env)->FindClass(env, class_name);
  if (cls == NULL)
    return -1; /* NoClassDefFoundError pending */
  jint rc = (*env)->RegisterNatives(env, cls, methods, count);
  (*env)->DeleteLocalRef(env, cls);
  return rc == JNI_OK ? 0 : -1; /* NoSuchMethodError pending */
}

void jasyncio__unregister_natives(JNIEnv *env, const char *class_name) {
  jclass cls = (*env)->FindClass(env, class_name);
  if (cls == NULL) {
    (*env)->ExceptionClear(env);
    return;
  }
  (*env)->UnregisterNatives(env, cls);
  (*env)->DeleteLocalRef(env, cls);
}

/* NativeLibrary.abiVersion0(): lets the loader check it bound the library it expects. */
static jint jasyncio_onload_abiVersion(JNIEnv *env, jclass cls) {
  JASYNCIO__UNUSED(env);
  JASYNCIO__UNUSED(cls);
  return JASYNCIO__ABI_VERSION;
}

static const JNINativeMethod jasyncio_onload_methods[] = {
  {"abiVersion0", "()I", (void *) jasyncio_onload_abiVersion},
};

static int jasyncio_onload_register(JNIEnv *env) {
  return jasyncio__register_natives(
      env, JASYNCIO__LOADER_CLASS, jasyncio_onload_methods,
      (int) (sizeof(jasyncio_onload_methods) / sizeof(jasyncio_onload_methods[0])));
}

static void jasyncio_onload_unregister(JNIEnv *env) {
  jasyncio__unregister_natives(env, JASYNCIO__LOADER_CLASS);
}

static const struct {
  int (*register_natives)(JNIEnv *env);
  void (*unregister_natives)(JNIEnv *env);
} jasyncio_onload_files[] = {
  {jasyncio__errors_register, jasyncio__errors_unregister},
  {jasyncio__epoll_register, jasyncio__epoll_unregister},
  {jasyncio__wakeup_register, jasyncio__wakeup_unregister},
  {jasyncio__socket_register, jasyncio__socket_unregister},
  /* Last: the loader only sees a version once everything else is bound. */
  {jasyncio_onload_register, jasyncio_onload_unregister},
};

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  JASYNCIO__UNUSED(reserved);
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK)
    return JNI_ERR;

  const int files = (int) (sizeof(jasyncio_onload_files) / sizeof(jasyncio_onload_files[0]));
  for (int i = 0; i < files; i++) {
    if (jasyncio_onload_files[i].register_natives(env) == 0)
      continue;
    /*
     * Undo in reverse order. The failure's exception is set aside while we do, since JNI calls
     * are not allowed with one pending, and thrown again so System.load reports what failed.
     */
    jthrowable cause = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    while (--i >= 0)
      jasyncio_onload_files[i].unregister_natives(env);
    if (cause != NULL)
      (*env)->Throw(env, cause);
    return JNI_ERR;
  }
  return JNI_VERSION_1_8;
}

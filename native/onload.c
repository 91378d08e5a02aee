/*
 * JNI registration. Every file of the core owns a table of static JNI functions and a
 * jasyncio__<file>_register() for it; JNI_OnLoad runs them in order and, if one fails, undoes
 * the ones that succeeded, so a failed System.load leaves no half-bound class behind.
 * JNI_OnLoad is the only symbol the library exports.
 */
#include <string.h>

#include "jasyncio_internal.h"
#include "process.h"

/*
 * The contract between this library and its Java classes (method tables, encodings). Bump it on
 * any incompatible change. Keep in sync with NativeLibrary.ABI_VERSION, which refuses a library
 * (say, a stale -Djasyncio.native.path) whose number differs.
 */
#define JASYNCIO__ABI_VERSION 8

#define JASYNCIO__LOADER_CLASS "io/jasyncio/internal/natives/NativeLibrary"

/*
 * The class `class_name` ("a/b/C") of the class loader that is loading this library, without
 * initializing it. FindClass would run the class's static initializer, before its natives are
 * registered and while the loader is still inside System.load; so the class comes from
 * Class.forName(name, false, loader), with the loader of NativeLibrary (the class calling
 * System.load, which FindClass finds already initialized). Returns NULL with an exception pending.
 */
static jclass jasyncio_onload_find_class(JNIEnv *env, const char *class_name) {
  char dotted[256];
  size_t length = strlen(class_name);
  if (length >= sizeof(dotted)) {
    jclass error = (*env)->FindClass(env, "java/lang/InternalError");
    if (error != NULL)
      (*env)->ThrowNew(env, error, class_name);
    return NULL;
  }
  for (size_t i = 0; i <= length; i++)
    dotted[i] = class_name[i] == '/' ? '.' : class_name[i];

  jclass result = NULL;
  jclass class_class = NULL;
  jclass loader_class = NULL;
  jobject loader = NULL;
  jstring name = NULL;

  if ((class_class = (*env)->FindClass(env, "java/lang/Class")) == NULL)
    goto done;
  if ((loader_class = (*env)->FindClass(env, JASYNCIO__LOADER_CLASS)) == NULL)
    goto done;
  jmethodID get_class_loader =
      (*env)->GetMethodID(env, class_class, "getClassLoader", "()Ljava/lang/ClassLoader;");
  jmethodID for_name = (*env)->GetStaticMethodID(
      env, class_class, "forName", "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;");
  if (get_class_loader == NULL || for_name == NULL)
    goto done;
  loader = (*env)->CallObjectMethod(env, loader_class, get_class_loader);
  if ((*env)->ExceptionCheck(env))
    goto done;
  if ((name = (*env)->NewStringUTF(env, dotted)) == NULL)
    goto done;
  result = (jclass) (*env)->CallStaticObjectMethod(env, class_class, for_name, name, JNI_FALSE,
                                                   loader);
  if ((*env)->ExceptionCheck(env))
    result = NULL;

done:
  if (name != NULL)
    (*env)->DeleteLocalRef(env, name);
  if (loader != NULL)
    (*env)->DeleteLocalRef(env, loader);
  if (loader_class != NULL)
    (*env)->DeleteLocalRef(env, loader_class);
  if (class_class != NULL)
    (*env)->DeleteLocalRef(env, class_class);
  return result;
}

int jasyncio__register_natives(JNIEnv *env, const char *class_name,
                               const JNINativeMethod *methods, int count) {
  jclass cls = jasyncio_onload_find_class(env, class_name);
  if (cls == NULL)
    return -1; /* ClassNotFoundException pending */
  jint rc = (*env)->RegisterNatives(env, cls, methods, count);
  (*env)->DeleteLocalRef(env, cls);
  return rc == JNI_OK ? 0 : -1; /* NoSuchMethodError pending */
}

void jasyncio__unregister_natives(JNIEnv *env, const char *class_name) {
  jclass cls = jasyncio_onload_find_class(env, class_name);
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
  {jasyncio__sock_addr_register, jasyncio__sock_addr_unregister},
  {jasyncio__sock_create_register, jasyncio__sock_create_unregister},
  {jasyncio__sock_io_register, jasyncio__sock_io_unregister},
  {jasyncio__sock_opt_register, jasyncio__sock_opt_unregister},
  {jasyncio__signal_register, jasyncio__signal_unregister},
  {jasyncio__file_open_register, jasyncio__file_open_unregister},
  {jasyncio__signal_ctl_register, jasyncio__signal_ctl_unregister},
  {jasyncio__itimer_register, jasyncio__itimer_unregister},
  {jasyncio__mmap_register, jasyncio__mmap_unregister},
  {jasyncio__mmap_file_register, jasyncio__mmap_file_unregister},
  {jasyncio__mmap_find_register, jasyncio__mmap_find_unregister},
  {jasyncio__pipe_register, jasyncio__pipe_unregister},
  {jasyncio__process_register, jasyncio__process_unregister},
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

/*
 * The Node-API face of ed25519-verify.c and ed25519-sign.c, loaded by tools/crypto/native-ed25519.ts:
 *
 *   prepareKey(publicKey: Uint8Array(32)): ArrayBuffer | null   a key's multiples; null if not a point
 *   verify(key: ArrayBuffer, signature: Uint8Array(64), k: Uint8Array(32)): boolean
 *   verifyMany(keys: ArrayBuffer[], signatures: Uint8Array(64n), ks: Uint8Array(32n), results: Uint8Array(n)): void
 *                                                               the same for n signatures, 1 or 0 in results
 *   keySize: number                                             bytes of a prepared key
 *   signingKey(seed: Uint8Array(32)): ArrayBuffer               what signing needs of a seed (ed25519-sign.h);
 *                                                               its last 32 bytes are the public key
 *   sign(key: ArrayBuffer, message: Uint8Array, signature: Uint8Array(64)): void
 *                                                               the signature, written into `signature`
 *   signingKeySize: number                                      bytes of a signing key
 *
 * Arguments of the wrong type or length throw a TypeError.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>

#include "ed25519-sign.h"
#include "ed25519-verify.h"

/*
 * The bytes of a Uint8Array (or ArrayBuffer) argument, or NULL after throwing: exactly `length` bytes,
 * or any number when `length` is ANY_LENGTH, which then come back in *size_out.
 */
#define ANY_LENGTH SIZE_MAX
static uint8_t *sized_bytes_arg(napi_env env, napi_value value, size_t length, const char *name, size_t *size_out) {
  void *data = NULL;
  size_t size = 0;
  bool is_typed = false, is_buffer = false;
  napi_is_typedarray(env, value, &is_typed);
  if (is_typed) {
    napi_typedarray_type type;
    size_t count;
    napi_value buffer;
    size_t offset;
    napi_get_typedarray_info(env, value, &type, &count, &data, &buffer, &offset);
    size = type == napi_uint8_array ? count : 0;
  } else {
    napi_is_arraybuffer(env, value, &is_buffer);
    if (is_buffer) napi_get_arraybuffer_info(env, value, &data, &size);
  }
  /* An empty array may have no storage; nothing is read from it, so it gets a place of its own. */
  static uint8_t nothing[1];
  if ((is_typed || is_buffer) && size == 0 && length == ANY_LENGTH) data = nothing;
  if ((!is_typed && !is_buffer) || (length != ANY_LENGTH && size != length) || data == NULL) {
    char message[96];
    if (length == ANY_LENGTH) snprintf(message, sizeof message, "%s must be a Uint8Array", name);
    else snprintf(message, sizeof message, "%s must be %zu bytes", name, length);
    napi_throw_type_error(env, NULL, message);
    return NULL;
  }
  if (size_out != NULL) *size_out = size;
  return data;
}

static uint8_t *bytes_arg(napi_env env, napi_value value, size_t length, const char *name) {
  return sized_bytes_arg(env, value, length, name, NULL);
}

/* The call's first `count` arguments into argv; false after throwing `usage` when there are fewer. */
static bool args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *usage) {
  size_t argc = count;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < count) napi_throw_type_error(env, NULL, usage);
  return argc >= count;
}

static napi_value prepare_key(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv, "prepareKey(publicKey)")) return NULL;
  const uint8_t *public_key = bytes_arg(env, argv[0], 32, "publicKey");
  if (public_key == NULL) return NULL;
  void *data;
  napi_value result;
  if (napi_create_arraybuffer(env, ed25519_key_size(), &data, &result) != napi_ok) return NULL;
  if (!ed25519_prepare_key((struct ed25519_key *)data, public_key)) napi_get_null(env, &result);
  return result;
}

static napi_value verify(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!args(env, info, 3, argv, "verify(key, signature, k)")) return NULL;
  const uint8_t *key = bytes_arg(env, argv[0], ed25519_key_size(), "key");
  if (key == NULL) return NULL;
  const uint8_t *signature = bytes_arg(env, argv[1], 64, "signature");
  if (signature == NULL) return NULL;
  const uint8_t *k = bytes_arg(env, argv[2], 32, "k");
  if (k == NULL) return NULL;
  napi_value result;
  napi_get_boolean(env, ed25519_verify_prepared((const struct ed25519_key *)key, signature, k), &result);
  return result;
}

static napi_value verify_many(napi_env env, napi_callback_info info) {
  static const char usage[] = "verifyMany(keys[], signatures, ks, results)";
  napi_value argv[4];
  if (!args(env, info, 4, argv, usage)) return NULL;
  bool is_array = false;
  napi_is_array(env, argv[0], &is_array);
  if (!is_array) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  uint32_t n;
  napi_get_array_length(env, argv[0], &n);
  const uint8_t *signatures = bytes_arg(env, argv[1], 64 * (size_t)n, "signatures");
  if (signatures == NULL) return NULL;
  const uint8_t *ks = bytes_arg(env, argv[2], 32 * (size_t)n, "ks");
  if (ks == NULL) return NULL;
  uint8_t *results = bytes_arg(env, argv[3], n, "results");
  if (results == NULL) return NULL;
  const struct ed25519_key **keys = malloc(sizeof(*keys) * (n > 0 ? n : 1));
  if (keys == NULL) {
    napi_throw_error(env, NULL, "verifyMany: out of memory");
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value element;
    napi_get_element(env, argv[0], i, &element);
    keys[i] = (const struct ed25519_key *)bytes_arg(env, element, ed25519_key_size(), "each key");
    if (keys[i] == NULL) {
      free(keys);
      return NULL;
    }
  }
  const int ok = ed25519_verify_many(keys, signatures, ks, n, results);
  free(keys);
  if (!ok) napi_throw_error(env, NULL, "verifyMany: out of memory");
  return NULL;
}

static napi_value signing_key(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv, "signingKey(seed)")) return NULL;
  const uint8_t *seed = bytes_arg(env, argv[0], 32, "seed");
  if (seed == NULL) return NULL;
  void *data;
  napi_value result;
  if (napi_create_arraybuffer(env, sizeof(struct ed25519_signing_key), &data, &result) != napi_ok) return NULL;
  if (!ed25519_signing_key((struct ed25519_signing_key *)data, seed)) {
    napi_throw_error(env, NULL, "signingKey: the module's constants are not ready");
    return NULL;
  }
  return result;
}

static napi_value sign(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!args(env, info, 3, argv, "sign(key, message, signature)")) return NULL;
  const uint8_t *key = bytes_arg(env, argv[0], sizeof(struct ed25519_signing_key), "key");
  if (key == NULL) return NULL;
  size_t length = 0;
  const uint8_t *message = sized_bytes_arg(env, argv[1], ANY_LENGTH, "message", &length);
  if (message == NULL) return NULL;
  uint8_t *signature = bytes_arg(env, argv[2], 64, "signature");
  if (signature == NULL) return NULL;
  if (!ed25519_sign(signature, (const struct ed25519_signing_key *)key, message, length)) {
    napi_throw_error(env, NULL, "sign: the module's constants are not ready");
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  if (!ed25519_init()) {
    napi_throw_error(env, NULL, "covey ed25519: the curve constants failed their self-check");
    return NULL;
  }
  napi_value fn, size;
  napi_create_function(env, "prepareKey", NAPI_AUTO_LENGTH, prepare_key, NULL, &fn);
  napi_set_named_property(env, exports, "prepareKey", fn);
  napi_create_function(env, "verify", NAPI_AUTO_LENGTH, verify, NULL, &fn);
  napi_set_named_property(env, exports, "verify", fn);
  napi_create_function(env, "verifyMany", NAPI_AUTO_LENGTH, verify_many, NULL, &fn);
  napi_set_named_property(env, exports, "verifyMany", fn);
  napi_create_uint32(env, (uint32_t)ed25519_key_size(), &size);
  napi_set_named_property(env, exports, "keySize", size);
  napi_create_function(env, "signingKey", NAPI_AUTO_LENGTH, signing_key, NULL, &fn);
  napi_set_named_property(env, exports, "signingKey", fn);
  napi_create_function(env, "sign", NAPI_AUTO_LENGTH, sign, NULL, &fn);
  napi_set_named_property(env, exports, "sign", fn);
  napi_create_uint32(env, (uint32_t)sizeof(struct ed25519_signing_key), &size);
  napi_set_named_property(env, exports, "signingKeySize", size);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

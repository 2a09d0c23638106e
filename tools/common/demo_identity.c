/* The Keel demo identity: an ECDSA P-256 certificate (CN=localhost, SAN DNS:localhost,
 * IP:127.0.0.1, valid 10 years) and its key, so keel-serv runs with zero set-up.
 * Keel demo identity -- NOT SECRET, NOT TRUSTED: the key is published right here. */

#include "common/tool.h"

const char tool_demo_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIICKzCCAdGgAwIBAgIUagf811BxoWomHatCvq+ONuQ0X60wCgYIKoZIzj0EAwIw\n"
  "SzE1MDMGA1UECgwsS2VlbCBkZW1vIGlkZW50aXR5IChub3Qgc2VjcmV0LCBub3Qg\n"
  "dHJ1c3RlZCkxEjAQBgNVBAMMCWxvY2FsaG9zdDAeFw0yNjExMjcwODE3MTVaFw0z\n"
  "NjExMjQwODE3MTVaMEsxNTAzBgNVBAoMLEtlZWwgZGVtbyBpZGVudGl0eSAobm90\n"
  "IHNlY3JldCwgbm90IHRydXN0ZWQpMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcq\n"
  "hkjOPQIBBggqhkjOPQMBBwNCAAQKVR+SNgBPcWiiNADTbBtRm8yQX9/uhx+TBVG2\n"
  "JtAMN82a6Rbr3c+iQLw+Al5Q6cKw0hPJWtU+lsGpyzbrNGVco4GSMIGPMB0GA1Ud\n"
  "DgQWBBSaYjumujnauMeWmUoqpq1XrDaQODAfBgNVHSMEGDAWgBSaYjumujnauMeW\n"
  "mUoqpq1XrDaQODAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwDAYDVR0TAQH/\n"
  "BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwEwCgYIKoZI\n"
  "zj0EAwIDSAAwRQIgShzqonExE9hBqwOg5YfjNKmFRObbY/guAw9N5J8biQcCIQCe\n"
  "axI1RJPkhQwLq87un+iAYLx5+1A26AFJHZSqLTv7rw==\n"
  "-----END CERTIFICATE-----\n"
  ;

const char tool_demo_key_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmUA8//UmL6KU33Rg\n"
  "r3RwtVm15dD3OHWUy0KBP6ATFQ2hRANCAAQKVR+SNgBPcWiiNADTbBtRm8yQX9/u\n"
  "hx+TBVG2JtAMN82a6Rbr3c+iQLw+Al5Q6cKw0hPJWtU+lsGpyzbrNGVc\n"
  "-----END PRIVATE KEY-----\n"
  ;

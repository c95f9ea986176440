/**
 * The fix-it commands quoted in TlsConfigError messages. The e2e suite runs both re-export
 * commands and checks that Node then reads the keystore.
 */
export function reExportKeystoreCommands(path: string): { keytool: string; openssl: string } {
  const target = path.replace(/(\.p12|\.pfx)?$/i, '-aes.p12');
  const pem = `${path}.tmp.pem`;
  return {
    // keytool reads RC2/3DES and writes AES-256 + SHA-256 MAC (Java 17+), no key on disk.
    keytool: `keytool -importkeystore -srckeystore ${path} -srcstoretype PKCS12 -destkeystore ${target} -deststoretype PKCS12`,
    // `pkcs12 -export` reads its input twice, so it cannot take a pipe: a private temp file.
    openssl: `(umask 077 && openssl pkcs12 -legacy -in ${path} -nodes -out ${pem} && openssl pkcs12 -export -in ${pem} -out ${target} -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256; rm -f ${pem})`,
  };
}

export function decryptPemKeyCommand(path: string): string {
  return `openssl pkey -in ${path} -out ${path}.plain && chmod 600 ${path}.plain`;
}

/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "true" only in the embedded build (`vite build --mode embedded`): the development sign-in exists. */
  readonly VITE_DEV_SIGNIN?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

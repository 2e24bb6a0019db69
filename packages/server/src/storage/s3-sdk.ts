// The AWS SDK costs tens of megabytes of memory once loaded: only a server that uses S3-compatible
// storage (files or backup targets) loads it, when it first talks to the bucket.
let client: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
let storage: Promise<typeof import('@aws-sdk/lib-storage')> | undefined;

export const loadS3 = () => (client ??= import('@aws-sdk/client-s3'));
export const loadS3Upload = () => (storage ??= import('@aws-sdk/lib-storage'));

/**
 * Points the real SDK at a FakeAwsServer through the SDK's own per-service endpoint override
 * (AWS_ENDPOINT_URL_<SERVICE ID, upper case, spaces as _>, read by @smithy/core's getEndpointUrlConfig),
 * with fake credentials and no shared config, profile or instance metadata to fall back on.
 * Returns a function that restores the environment exactly.
 */
export function useFakeAwsEnv(endpoints: Record<string, string>): () => void {
  const vars: Record<string, string | undefined> = {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    AWS_CONFIG_FILE: '/nonexistent/pocketwatch-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/pocketwatch-test-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...endpoints,
  };
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  return () => apply(saved);
}

/** The region a request was signed for, from its SigV4 credential scope (all regions share one fake endpoint). */
export function signedRegion(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(header ?? '')?.[1];
}

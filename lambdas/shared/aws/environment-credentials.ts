/**
 * What the functions' bundled AWS SDK clients use in place of `@aws-sdk/credential-provider-node` (an esbuild
 * alias, lib/bundling.ts FUNCTION_BUNDLING). Lambda puts the function role's credentials in the environment,
 * valid for the execution environment's life, and the default chain's first provider (`fromEnv`) answers there
 * every time; the rest of the chain — SSO, web identity and STS clients, ini files, process, container and
 * instance metadata, ~130 KB in every bundle — is parsed on each cold start and never called. Where the
 * environment holds no credentials (a bundle run outside Lambda), the full chain is loaded on first use from
 * node_modules, as the Lambda runtime or a developer's checkout provides it.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type ProviderInit = Parameters<typeof fromEnv>[0];
type AwsCredentialIdentityProvider = ReturnType<typeof fromEnv>;
type AwsCredentialIdentity = Awaited<ReturnType<AwsCredentialIdentityProvider>>;
type DefaultProvider = (init?: ProviderInit) => AwsCredentialIdentityProvider;

/** Kept out of the bundle: the module name is only known at run time, so esbuild leaves the require alone. */
const FULL_CHAIN_MODULE = ['@aws-sdk', 'credential-provider-node'].join('/');

function loadFullChain(): DefaultProvider {
  return (require(FULL_CHAIN_MODULE) as { defaultProvider: DefaultProvider }).defaultProvider;
}

/** Same signature as `@aws-sdk/credential-provider-node`'s `defaultProvider`. */
export function defaultProvider(init: ProviderInit = {}): AwsCredentialIdentityProvider {
  const environment = fromEnv(init);
  let fullChain: AwsCredentialIdentityProvider | undefined;
  return async (options?: Parameters<AwsCredentialIdentityProvider>[0]): Promise<AwsCredentialIdentity> => {
    if (fullChain) return fullChain(options);
    try {
      return await environment(options);
    } catch (error) {
      // fromEnv throws when AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are absent: not in Lambda.
      fullChain = loadFullChain()(init);
      return fullChain(options).catch((chainError: unknown) => {
        throw chainError instanceof Error ? chainError : error;
      });
    }
  };
}

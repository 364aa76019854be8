/**
 * The site's base path: `./` (relative, so dist/ works from any sub-path) unless one is given, as
 * the GitHub Pages workflow gives `/<repository>/` through SPP_BASE. A given base must start and end
 * with `/`, so that a typo fails the build instead of publishing a site whose links point elsewhere.
 *
 * @example
 * siteBase(undefined) // './'
 * siteBase('/service-patterns/') // '/service-patterns/'
 */
export function siteBase(given: string | undefined): string {
  if (given === undefined || given === '') return './';
  if (!/^\/([\w.~-]+\/)*$/.test(given)) throw new Error(`SPP_BASE must be a path that starts and ends with "/" (for example /my-repo/); got ${JSON.stringify(given)}`);
  return given;
}

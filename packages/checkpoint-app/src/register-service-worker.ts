/**
 * Registers the offline service worker (the dev server has no sw.js, so there it quietly fails).
 * Resolves to true once a worker controls or will control the page.
 */
export async function registerServiceWorker(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register(new URL('./sw.js', document.baseURI), { scope: './' });
    await navigator.serviceWorker.ready;
    return true;
  } catch {
    // The app works online without a worker; the Setup screen reports offline readiness.
    return false;
  }
}

// What a key may see is one policy for the management and the reporting API: libs/api-auth.
export { mayReveal, Visibility, visibilityOf } from '@tracklane/api-auth';

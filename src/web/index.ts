/**
 * The web dashboard (`leakwatch serve`): server-rendered pages over the crawl database,
 * evidence folder and custody log, for counsel and analysts. docs/dashboard.md.
 */
export { startDashboard, type Dashboard, type DashboardOptions } from './server.js';
export { hashPassword, verifyPassword } from './password.js';
export { loadWebSettings, type WebSettingsResult } from './settings.js';
export { authModeOf, LOCAL_USER, type AuthMode } from './auth-mode.js';

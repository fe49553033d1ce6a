import setup from '../integration/global-setup';

/** Build the app once (shared with the integration suite). */
export default function globalSetup(): void {
	setup();
}

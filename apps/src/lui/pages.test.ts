// The LUI's server-rendered pages: values from the card and the servers are escaped; the profile icon of the
// metadata is shown as an image; failures carry the plain words and the SGP.22 codes.
import { describe, expect, it } from 'vitest';
import type { ProfileSummary } from '@zkesim/lpa-core';
import { Codes, RemoteFunctionFailed } from '@zkesim/protocol';
import { layout } from './html.js';
import { profilesPage } from './profilePages.js';
import { servicesPage } from './servicePages.js';
import { errorView } from './views.js';

const profile: ProfileSummary = {
  iccid: '8949449999990000020', isdpAid: 'A0000005591010FFFFFFFF8900001000', profileState: 'enabled', profileClass: 'operational',
  profileNickname: '<img src=x onerror=alert(1)>', serviceProviderName: 'Op "&" Co', profileName: 'Test',
  profileIcon: { iconType: 'png', icon: Uint8Array.of(0x89, 0x50, 0x4e, 0x47) },
};

describe('LUI pages', () => {
  it('escapes what the card says and shows the profile icon as an image', () => {
    const page = layout('Profiles', '/', profilesPage([profile]));
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('Op &quot;&amp;&quot; Co');
    expect(page).toContain('src="data:image/png;base64,iVBORw=="');
    expect(page).toContain('<a href="/" aria-current="page">Profiles</a>');
    expect(page).toMatch(/<form method="post" action="\/profiles\/disable" data-confirm="Disable &lt;img/);
  });

  it('shows a failure in plain words with its SGP.22 codes', () => {
    const error = errorView(new RemoteFunctionFailed('Failed', Codes.matchingIdRefused, 'refused'));
    expect(error).toEqual({ plain: expect.stringMatching(/does not know this activation code/), subjectCode: '8.2.6', reasonCode: '3.8', detail: 'refused' });
    const page = profilesPage(error).text;
    expect(page).toContain('role="alert"');
    expect(page).toContain('SGP.22 subject code 8.2.6, reason code 3.8');
    expect(servicesPage(error, undefined).text).toContain('No subscriber identity');
  });
});

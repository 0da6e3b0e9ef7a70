import { directLink } from './direct-link';

describe('direct links', () => {
  it('point at click-ingest’s script and name the landing page’s host as click-ingest checks it', () => {
    const link = directLink('https://track.example.com', 12, 'https://www.Shop.example:8443/landing?cid={click_id}');
    expect(link).toMatchObject({ offerId: 12, scriptUrl: 'https://track.example.com/dl.js', landingHost: 'shop.example' });
    expect(Object.keys(link.parameters)).toEqual(['aff_id', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source', 'aff_click_id']);
  });
});

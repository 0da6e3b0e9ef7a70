import { trackingLink } from './tracking-link';

describe('tracking links', () => {
  it('carry the offer and affiliate, and placeholders for what the affiliate fills in', () => {
    expect(trackingLink('http://127.0.0.1:8080', 12, 7, {})).toBe(
      'http://127.0.0.1:8080/c/12?aff_id=7&sub1={sub1}&sub2={sub2}&sub3={sub3}&sub4={sub4}&sub5={sub5}&source={source}&aff_click_id={aff_click_id}',
    );
  });

  it('fill in given values, URL-encoded so none can add a parameter', () => {
    const url = trackingLink('https://t.example', 3, 9, { sub1: 'spring sale', source: 'a&aff_id=666', aff_click_id: '{x}' });
    expect(url).toContain('sub1=spring%20sale');
    expect(url).toContain('source=a%26aff_id%3D666');
    expect(url).toContain('aff_click_id=%7Bx%7D');
    expect(new URL(url).searchParams.getAll('aff_id')).toEqual(['9']);
    expect(new URL(url).searchParams.get('source')).toBe('a&aff_id=666');
  });
});

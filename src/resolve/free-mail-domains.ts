/**
 * Mail providers anyone can sign up to: an address there says nothing about
 * which organisation its owner works for, so these domains never resolve to a
 * customer or become suggestions. Only an exact contact address does.
 */
export const freeMailDomains: ReadonlySet<string> = new Set([
  'aol.com', 'att.net', 'btinternet.com', 'comcast.net', 'fastmail.com', 'fastmail.fm', 'free.fr', 'gmail.com', 'gmx.com',
  'gmx.de', 'gmx.net', 'googlemail.com', 'hey.com', 'hotmail.co.uk', 'hotmail.com', 'hotmail.de', 'hotmail.fr', 'icloud.com',
  'laposte.net', 'live.co.uk', 'live.com', 'live.fr', 'mac.com', 'mail.com', 'mail.ru', 'me.com', 'msn.com', 'naver.com',
  'orange.fr', 'outlook.com', 'outlook.de', 'outlook.fr', 'pm.me', 'proton.me', 'protonmail.com', 'qq.com', 'rambler.ru',
  'rocketmail.com', 'sbcglobal.net', 't-online.de', 'tutanota.com', 'verizon.net', 'web.de', 'yahoo.co.in', 'yahoo.co.jp',
  'yahoo.co.uk', 'yahoo.com', 'yahoo.de', 'yahoo.fr', 'yandex.com', 'yandex.ru', 'ymail.com', 'zoho.com', '163.com', '126.com',
  'sina.com', 'foxmail.com', 'daum.net', 'hanmail.net',
]);

export function isFreeMail(domain: string): boolean {
  return freeMailDomains.has(domain.toLowerCase());
}

// The most common passwords of at least 10 characters seen in public breach corpora, plus
// French favourites (lower case). Shorter ones are refused by the length rule anyway.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890', '0123456789', '0987654321', '12345678910', '123456789a', 'a123456789', '1234567891',
  '123123123123', '1111111111', '1q2w3e4r5t', '1qaz2wsx3edc', 'qwertyuiop', 'qwerty1234', 'qwerty123456',
  'azertyuiop', 'azerty1234', 'azerty123456', 'azertyuiop1', 'password12', 'password123', 'password1234',
  'passw0rd123', 'motdepasse', 'motdepasse1', 'motdepasse12', 'motdepasse123', 'mot2passe123', 'iloveyou12',
  'iloveyou123', 'jetaime123', 'jetaime1234', 'jetaimetoujours', 'bonjour123', 'bonjour1234', 'soleil1234',
  'soleil123456', 'chocolat123', 'doudou1234', 'loulou1234', 'marseille13', 'marseille123', 'parisienne',
  'paris75000', 'football123', 'princesse1', 'princesse123', 'licorne123', 'abcdefghij', 'abcdef123456',
  'abc1234567', 'administrator', 'admin12345', 'admin123456', 'welcome123', 'bienvenue1', 'bienvenue123',
  'changeme123', 'letmein123', 'sunshine123', 'superman123', 'starwars123', 'dragon1234', 'monkey12345',
  'baseball123', 'trustno1234', 'whatever123', 'freedom123', 'michelle123', 'nicolas123', 'camille123',
  'chouchou123', 'bijoux1234', 'boutique123', 'qwe123qwe123', 'asdfghjkl1', 'zxcvbnm123', '147258369a',
  '1472583690', '9876543210', '1122334455', '5555555555', '0000000000', '1212121212', '1313131313',
  'aaaaaa1111', 'q1w2e3r4t5', 'a1b2c3d4e5', 'p@ssw0rd123', 'p@ssword123', 'mdp123456789',
]);

-- A legacy Supabase shop database, as the old site left it: Supabase's roles, `auth` and `storage`
-- schemas, extensions in `extensions`, RLS policies calling auth.uid(), and the shop's public tables
-- (uuid and bigserial keys, numeric prices in euros, timestamptz). Then generated data:
-- 24 categories, 200 products × 3 variants, 501 customers, 5,000 orders.
CREATE ROLE anon NOLOGIN;
CREATE ROLE authenticated NOLOGIN;
CREATE ROLE service_role NOLOGIN BYPASSRLS;

CREATE SCHEMA extensions;
CREATE EXTENSION pgcrypto SCHEMA extensions;
CREATE EXTENSION "uuid-ossp" SCHEMA extensions;

CREATE SCHEMA auth;
CREATE TABLE auth.users (
  instance_id uuid,
  id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(),
  aud varchar(255) DEFAULT 'authenticated',
  role varchar(255) DEFAULT 'authenticated',
  email varchar(255) UNIQUE,
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  confirmation_token varchar(255),
  raw_app_meta_data jsonb DEFAULT '{"provider":"email","providers":["email"]}',
  raw_user_meta_data jsonb DEFAULT '{}',
  is_super_admin boolean,
  last_sign_in_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('request.jwt.claim.role', true), '')::text $$;

CREATE SCHEMA storage;
CREATE TABLE storage.buckets (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  public boolean DEFAULT false,
  created_at timestamptz DEFAULT now()
);
CREATE TABLE storage.objects (
  id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(),
  bucket_id text REFERENCES storage.buckets (id),
  name text,
  owner uuid,
  metadata jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  UNIQUE (bucket_id, name)
);

CREATE TABLE public.categories (
  id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(),
  parent_id uuid REFERENCES public.categories (id),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  sort_order integer DEFAULT 0,
  created_at timestamptz DEFAULT now()
);
CREATE TABLE public.products (
  id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(),
  category_id uuid REFERENCES public.categories (id),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  description text,
  is_published boolean DEFAULT false,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);
CREATE TABLE public.product_variants (
  id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES public.products (id) ON DELETE CASCADE,
  sku text NOT NULL UNIQUE,
  name text NOT NULL,
  options jsonb DEFAULT '{}',
  price numeric(10, 2) NOT NULL,
  compare_at_price numeric(10, 2),
  stock integer DEFAULT 0,
  position integer DEFAULT 0,
  created_at timestamptz DEFAULT now()
);
CREATE TABLE public.product_images (
  id bigserial PRIMARY KEY,
  product_id uuid NOT NULL REFERENCES public.products (id) ON DELETE CASCADE,
  storage_path text NOT NULL,
  alt text,
  position integer DEFAULT 0
);
CREATE TABLE public.profiles (
  id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  full_name text,
  phone text,
  newsletter boolean DEFAULT false,
  created_at timestamptz DEFAULT now()
);
CREATE TABLE public.addresses (
  id uuid PRIMARY KEY DEFAULT extensions.gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  full_name text NOT NULL,
  street text NOT NULL,
  street2 text,
  zip text NOT NULL,
  city text NOT NULL,
  country text DEFAULT 'fr',
  phone text,
  is_default boolean DEFAULT false,
  created_at timestamptz DEFAULT now()
);
CREATE TABLE public.discount_codes (
  id bigserial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  type text NOT NULL CHECK (type IN ('percentage', 'amount')),
  value numeric(10, 2) NOT NULL,
  min_order numeric(10, 2) DEFAULT 0,
  starts_at timestamptz,
  ends_at timestamptz,
  max_uses integer,
  uses integer DEFAULT 0,
  active boolean DEFAULT true,
  created_at timestamptz DEFAULT now()
);
CREATE TABLE public.orders (
  id bigserial PRIMARY KEY,
  user_id uuid REFERENCES auth.users (id),
  email text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  shipping_address jsonb NOT NULL,
  shipping_method text NOT NULL,
  shipping_cost numeric(10, 2) NOT NULL DEFAULT 0,
  discount_code text,
  subtotal numeric(10, 2) NOT NULL DEFAULT 0,
  discount_amount numeric(10, 2) NOT NULL DEFAULT 0,
  total numeric(10, 2) NOT NULL DEFAULT 0,
  stripe_payment_intent text,
  paid_at timestamptz,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);
CREATE TABLE public.order_items (
  id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES public.orders (id) ON DELETE CASCADE,
  variant_id uuid REFERENCES public.product_variants (id),
  product_name text NOT NULL,
  variant_name text NOT NULL,
  sku text NOT NULL,
  quantity integer NOT NULL,
  unit_price numeric(10, 2) NOT NULL,
  created_at timestamptz DEFAULT now()
);
-- A table without primary key (Supabase projects often have one): replicable only with a replica identity.
CREATE TABLE public.newsletter_signups (email text NOT NULL, created_at timestamptz DEFAULT now());

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.addresses ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.order_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.products ENABLE ROW LEVEL SECURITY;
CREATE POLICY "own profile" ON public.profiles FOR ALL TO authenticated USING (id = auth.uid());
CREATE POLICY "own addresses" ON public.addresses FOR ALL TO authenticated USING (user_id = auth.uid());
CREATE POLICY "own orders" ON public.orders FOR SELECT TO authenticated USING (user_id = auth.uid());
CREATE POLICY "own order items" ON public.order_items FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.orders o WHERE o.id = order_id AND o.user_id = auth.uid()));
CREATE POLICY "published products" ON public.products FOR SELECT TO anon, authenticated USING (is_published);
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO anon, authenticated;
GRANT ALL ON ALL TABLES IN SCHEMA public TO service_role;

-- Data.
INSERT INTO storage.buckets (id, name, public) VALUES ('product-images', 'product-images', true);

INSERT INTO public.categories (slug, name, sort_order, created_at)
SELECT 'rayon-' || i, 'Rayon ' || i, i, now() - interval '400 days' FROM generate_series(1, 6) i;
INSERT INTO public.categories (parent_id, slug, name, sort_order, created_at)
SELECT p.id, p.slug || '-sous-' || j, p.name || ' · ' || j, j, now() - interval '399 days'
FROM public.categories p, generate_series(1, 3) j;

INSERT INTO public.products (category_id, slug, name, description, is_published, created_at, updated_at)
SELECT (SELECT id FROM public.categories WHERE parent_id IS NOT NULL ORDER BY slug OFFSET (i % 18) LIMIT 1),
       'creation-' || i, 'Création artisanale n°' || i, 'Pièce unique faite main, modèle ' || i || '.',
       i % 20 <> 0, now() - (i || ' days')::interval, now() - (i || ' hours')::interval
FROM generate_series(1, 200) i;

INSERT INTO public.product_variants (product_id, sku, name, options, price, compare_at_price, stock, position)
SELECT p.id, 'LEG-' || substr(p.slug, 10) || '-' || v, (ARRAY['Rose', 'Lilas', 'Menthe'])[v],
       jsonb_build_object('couleur', (ARRAY['Rose', 'Lilas', 'Menthe'])[v]),
       (9.90 + (row_number() OVER (ORDER BY p.slug) % 40) + v)::numeric(10, 2),
       CASE WHEN v = 1 THEN (19.90 + (row_number() OVER (ORDER BY p.slug) % 40) + v)::numeric(10, 2) END,
       10 + (row_number() OVER (ORDER BY p.slug) % 30), v
FROM public.products p, generate_series(1, 3) v;

INSERT INTO public.product_images (product_id, storage_path, alt, position)
SELECT p.id, 'products/' || p.slug || '-' || k || '.png', p.name, k FROM public.products p, generate_series(1, 2) k;
INSERT INTO storage.objects (bucket_id, name, metadata)
SELECT 'product-images', storage_path, '{"mimetype":"image/png","size":68}' FROM public.product_images;

INSERT INTO auth.users (id, email, encrypted_password, email_confirmed_at, raw_user_meta_data, created_at, updated_at)
SELECT extensions.gen_random_uuid(), 'cliente' || i || '@exemple.fr',
       extensions.crypt('ancien-mot-de-passe-' || i, extensions.gen_salt('bf', 4)), now() - interval '300 days',
       jsonb_build_object('full_name', 'Cliente ' || i), now() - ((300 - i % 300) || ' days')::interval, now()
FROM generate_series(1, 500) i;
-- The customer whose old password the tests sign in with (Supabase's default bcrypt cost, 10).
INSERT INTO auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, created_at)
VALUES ('margaux.historique@exemple.fr', extensions.crypt('Violette-Pivoine-1987', extensions.gen_salt('bf', 10)), now() - interval '500 days',
        '{"full_name":"Margaux Historique"}', now() - interval '500 days');
INSERT INTO public.profiles (id, full_name, phone, created_at)
SELECT id, raw_user_meta_data ->> 'full_name', '06' || lpad((abs(hashtext(email)) % 100000000)::text, 8, '0'), created_at FROM auth.users;
INSERT INTO public.addresses (user_id, full_name, street, zip, city, country, is_default, created_at)
SELECT id, raw_user_meta_data ->> 'full_name', (abs(hashtext(email)) % 90 + 1) || ' rue des Lilas', '750' || lpad((abs(hashtext(email)) % 20 + 1)::text, 2, '0'), 'Paris', 'fr', true, created_at
FROM auth.users;

INSERT INTO public.discount_codes (code, type, value, min_order, max_uses, uses, active) VALUES
  ('ETE2025', 'percentage', 10, 0, NULL, 500, true),
  ('FIDELE5', 'amount', 5, 30, 1000, 120, true),
  ('SOLDES-HIVER', 'percentage', 25, 50, 300, 300, false);

CREATE TEMP TABLE fixture_customers AS SELECT row_number() OVER (ORDER BY email) AS n, u.id, u.email, a.full_name, a.street, a.zip, a.city
FROM auth.users u JOIN public.addresses a ON a.user_id = u.id;
CREATE TEMP TABLE fixture_variants AS SELECT row_number() OVER (ORDER BY v.sku) AS n, v.id, v.sku, v.name, v.price, p.name AS product_name
FROM public.product_variants v JOIN public.products p ON p.id = v.product_id;

INSERT INTO public.orders (user_id, email, status, shipping_address, shipping_method, discount_code, created_at, updated_at, paid_at)
SELECT c.id, c.email, (ARRAY['paid', 'shipped', 'delivered', 'delivered', 'cancelled', 'pending', 'refunded', 'delivered'])[i % 8 + 1],
       jsonb_build_object('full_name', c.full_name, 'street', c.street, 'zip', c.zip, 'city', c.city, 'country', 'FR'),
       (ARRAY['colissimo', 'mondial_relay', 'retrait'])[i % 3 + 1], CASE WHEN i % 10 = 0 THEN 'ETE2025' END,
       now() - ((5000 - i) * interval '90 minutes'), now() - ((5000 - i) * interval '80 minutes'),
       CASE WHEN i % 8 NOT IN (4, 5) THEN now() - ((5000 - i) * interval '90 minutes') END
FROM generate_series(1, 5000) i JOIN fixture_customers c ON c.n = i % 500 + 1;

INSERT INTO public.order_items (order_id, variant_id, product_name, variant_name, sku, quantity, unit_price, created_at)
SELECT o.id, v.id, v.product_name, v.name, v.sku, (o.id + k) % 3 + 1, v.price, o.created_at
FROM public.orders o, generate_series(1, 3) k
JOIN fixture_variants v ON true
WHERE k <= o.id % 3 + 1 AND v.n = (o.id * 7 + k * 131) % 600 + 1;

UPDATE public.orders o SET subtotal = t.subtotal,
  discount_amount = CASE WHEN o.discount_code IS NOT NULL THEN round(t.subtotal * 0.10, 2) ELSE 0 END,
  shipping_cost = CASE WHEN o.shipping_method = 'retrait' OR t.subtotal >= 60 THEN 0 WHEN o.shipping_method = 'colissimo' THEN 5.90 ELSE 3.90 END
FROM (SELECT order_id, sum(quantity * unit_price) AS subtotal FROM public.order_items GROUP BY order_id) t
WHERE t.order_id = o.id;
UPDATE public.orders SET total = subtotal - discount_amount + shipping_cost;

INSERT INTO public.newsletter_signups (email) SELECT email FROM auth.users LIMIT 50;

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Address, AddressInput, AddressList, AddressParams, AddressPatch, CsrfBody, ErrorBody, LoginRequest, MessageBody, PasswordResetConfirm, PasswordResetRequest, RegisterRequest, UserBody, VerifyEmailRequest } from '@girlycrea/contract';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });

/** Documents session, account and address routes. */
export function registerAccountsOpenApi(registry: OpenAPIRegistry): void {
  const path = registry.registerPath.bind(registry);
  path({ method: 'get', path: '/api/csrf', summary: 'Jeton CSRF et cookie de session (la session invitée est enregistrée à la première écriture du panier)', responses: { 200: json(CsrfBody, 'Le jeton') } });
  path({
    method: 'post', path: '/api/auth/register', summary: 'Créer un compte', request: body(RegisterRequest),
    responses: { 201: json(UserBody, 'Compte créé et connecté'), 400: error('Champ invalide ou mot de passe refusé'), 409: error('E-mail déjà utilisé'), 429: error('Trop de tentatives') },
  });
  path({
    method: 'post', path: '/api/auth/login', summary: 'Se connecter', request: body(LoginRequest),
    responses: {
      200: json(UserBody, 'Connecté (nouvel identifiant de session)'),
      400: error('Champ invalide'),
      401: error('invalid_credentials'),
      429: error('Trop d’échecs pour cet e-mail depuis cette adresse IP, ou depuis cette IP (attente croissante, Retry-After)'),
    },
  });
  path({ method: 'post', path: '/api/auth/logout', summary: 'Se déconnecter', responses: { 204: { description: 'Session terminée' } } });
  path({ method: 'get', path: '/api/me', summary: 'Le compte connecté', responses: { 200: json(UserBody, 'Le compte'), 401: error('Non connecté') } });
  path({
    method: 'post', path: '/api/auth/password-reset', summary: 'Demander un lien de réinitialisation', request: body(PasswordResetRequest),
    responses: {
      202: json(MessageBody, 'Toujours, que le compte existe ou non (au plus un e-mail par minute et par adresse)'),
      429: error('Trop de demandes depuis cette adresse IP'),
    },
  });
  path({
    method: 'post', path: '/api/auth/password-reset/confirm', summary: 'Choisir un nouveau mot de passe', request: body(PasswordResetConfirm),
    responses: { 204: { description: 'Mot de passe changé, sessions et autres liens terminés' }, 400: error('Lien invalide, expiré ou déjà utilisé') },
  });
  path({
    method: 'post', path: '/api/auth/verify-email', summary: 'Confirmer son adresse e-mail (lien de l’e-mail de bienvenue) : les commandes passées sans compte avec elle rejoignent le compte',
    request: body(VerifyEmailRequest),
    responses: { 200: json(UserBody, 'Adresse confirmée (un second clic répond de même)'), 400: error('Lien invalide ou expiré'), 429: error('Trop de tentatives') },
  });
  path({
    method: 'post', path: '/api/me/verify-email', summary: 'Recevoir un nouveau lien de confirmation',
    responses: { 202: json(MessageBody, 'Lien envoyé'), 401: error('Non connecté'), 409: error('Adresse déjà confirmée'), 429: error('Trop de demandes') },
  });
  path({ method: 'get', path: '/api/me/addresses', summary: 'Mes adresses', responses: { 200: json(AddressList, 'Les adresses'), 401: error('Non connecté') } });
  path({ method: 'post', path: '/api/me/addresses', summary: 'Ajouter une adresse', request: body(AddressInput), responses: { 201: json(Address, 'Adresse créée'), 400: error('Champ invalide') } });
  path({
    method: 'patch', path: '/api/me/addresses/{id}', summary: 'Modifier une adresse', request: { params: AddressParams, ...body(AddressPatch) },
    responses: { 200: json(Address, 'Adresse modifiée'), 404: error('Adresse introuvable') },
  });
  path({ method: 'delete', path: '/api/me/addresses/{id}', summary: 'Supprimer une adresse', request: { params: AddressParams }, responses: { 204: { description: 'Supprimée' }, 404: error('Adresse introuvable') } });
}

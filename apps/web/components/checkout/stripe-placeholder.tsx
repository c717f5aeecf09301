/**
 * Stand-in for Stripe Elements, shown only when a publishable key is configured.
 * PLACEHOLDER: the real card field (Stripe.js, loaded from Stripe) comes with the Stripe provider.
 */
export function StripePlaceholder() {
  return (
    <div className="payment-box payment-box--placeholder" data-testid="stripe-placeholder">
      <p className="payment-box__title">Carte bancaire (Stripe)</p>
      <p>Le champ de carte sécurisé de Stripe s’affichera ici. Il n’est pas encore activé sur cette boutique.</p>
    </div>
  );
}

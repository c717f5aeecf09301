/**
 * What paying by card means here: "Payer" opens Stripe's secure page (Stripe Checkout), where the
 * bank may ask for 3-D Secure; no card field and no Stripe script on our pages.
 */
export function StripePayment() {
  return (
    <div className="payment-box" data-testid="paiement-stripe">
      <p className="payment-box__title">Carte bancaire, Apple Pay ou Google Pay</p>
      <p>
        En cliquant sur « Payer », vous serez redirigé vers la page de paiement sécurisée de notre prestataire Stripe. Votre banque
        peut vous demander de confirmer le paiement (3-D Secure). Vos données bancaires ne transitent jamais par notre site.
      </p>
    </div>
  );
}

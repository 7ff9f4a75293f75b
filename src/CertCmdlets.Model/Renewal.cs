using System;

namespace CertCmdlets
{
    /// <summary>
    /// The module's one renewal and expiry rule. A certificate should be renewed two thirds into its lifetime, or
    /// 30 days before it expires, whichever comes first (Let's Encrypt's clients renew at two thirds; 30 days is
    /// the margin for lifetimes of a year or more). Days are counted as a calendar counts them.
    /// </summary>
    internal static class Renewal
    {
        /// <summary>The margin before expiry after which renewal is always recommended.</summary>
        public static readonly TimeSpan Margin = TimeSpan.FromDays(30);

        public static DateTime RenewAfter(DateTime notBefore, DateTime notAfter)
        {
            TimeSpan lifetime = notAfter - notBefore;
            if (lifetime <= TimeSpan.Zero)
            {
                return notBefore;
            }

            DateTime twoThirds = notBefore + TimeSpan.FromTicks(lifetime.Ticks / 3 * 2);
            DateTime beforeExpiry = notAfter - Margin;
            return twoThirds < beforeExpiry ? twoThirds : beforeExpiry;
        }

        /// <summary>Whole days left, a started day counting as one (365 on the first day of a 365-day certificate); negative once expired.</summary>
        public static int DaysRemaining(DateTime notAfter, DateTime now)
        {
            double days = (notAfter.ToUniversalTime() - now.ToUniversalTime()).TotalDays;
            return days >= 0 ? (int)Math.Ceiling(days) : (int)Math.Floor(days);
        }
    }
}

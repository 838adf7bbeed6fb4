package org.storeedge.simulator;

import java.util.Optional;

/**
 * Generated shoppers: Poisson arrivals at {@code shoppersPerHour} during {@code durationSeconds}
 * of virtual time (starting after the last scripted shopper has left), with optional {@link
 * Bursts} of arrivals on top. Each takes on average
 * {@code meanItems} items (at least one) from lanes that still hold stock, sometimes puts one
 * back, and leaves; {@code hardCases} mixes in the situations that confuse attribution.
 *
 * @param overlap false: at most one shopper in the store at a time (an arrival waits until the
 *     previous shopper has left)
 * @param maxInside with overlap, at most this many visits (a group counts once) inside at a
 *     time: an arrival waits at the door until one has left; {@link #UNLIMITED} for no cap
 * @param hardCases shares of the hard cases; {@link HardCases#NONE} for plain traffic
 * @param browseSeconds mean time a shopper looks around before each take, seconds (exponential),
 *     on top of walking and 1-3 s of reaching; 0 for brisk shoppers. Real shoppers of a small
 *     store stay a minute or more, which is what makes several of them meet at one shelf.
 * @param restockEverySeconds 0 for none; else a member of staff (a token with the store's first
 *     {@code checkout.staffTokenPrefixes}) comes in this often and restocks the lanes that have
 *     run low, while the shoppers shop
 * @param bursts empty for none; else crowds arriving at once on top of the {@code
 *     shoppersPerHour} background (a train at a station kiosk, the bell at a school shop)
 * @param popularity 0 for every lane with stock equally likely at each take; else a Zipf exponent
 *     (up to 3) over the store's products: the product ranked k-th (a ranking drawn from the seed)
 *     is taken k^popularity times less often than the first, its lanes sharing that. Real sales
 *     are skewed: a few products sell most, and their lanes draw shoppers together
 * @param looks shelves looked at without taking anything, and shoppers who take nothing at all;
 *     {@link Looks#NONE} for shoppers who stop only where they take
 * @param hurry shoppers in a hurry, who walk faster and take without stopping; {@link Hurry#NONE}
 *     for everyone at an unhurried pace, stopping at each shelf
 */
public record GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems,
    double putBackProbability, boolean overlap, int maxInside, HardCases hardCases, double browseSeconds,
    double restockEverySeconds, Optional<Bursts> bursts, double popularity, Looks looks, Hurry hurry) {

  /**
   * Shoppers in a hurry: a commuter grabbing a drink on the way to the train does not stop in
   * front of the fridge. A hurried visit walks at {@code pace} (everyone else at
   * {@link ShopperScript#DEFAULT_PACE}), barely browses, and takes from a lane in passing
   * ({@link ScenarioAction#passing}: slowing to half its pace along the shelf while its hand is in
   * it) with probability {@code passing} per single-lane take. A walking body at a lane is what a
   * position-only checkout takes for a passer-by.
   *
   * @param share share of visits, 0..1, in a hurry
   * @param pace their walking pace, m/s, in {@link ShopperScript#MIN_PACE}..{@link ShopperScript#MAX_PACE}
   * @param passing share, 0..1, of their single-lane takes done without stopping
   */
  public record Hurry(double share, double pace, double passing) {
    public static final Hurry NONE = new Hurry(0, ShopperScript.DEFAULT_PACE, 0);
    /** A brisk walk. */
    public static final double DEFAULT_PACE = 1.4;
    public static final double DEFAULT_PASSING = 0.5;

    public Hurry {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("hurry.share must be in 0..1 (got: " + share + ")");
      }
      if (!(pace >= ShopperScript.MIN_PACE && pace <= ShopperScript.MAX_PACE)) {
        throw new IllegalArgumentException("hurry.pace must be in " + ShopperScript.MIN_PACE + ".." + ShopperScript.MAX_PACE
            + " m/s (got: " + pace + ")");
      }
      if (!(passing >= 0 && passing <= 1)) {
        throw new IllegalArgumentException("hurry.passing must be in 0..1 (got: " + passing + ")");
      }
    }
  }

  /**
   * Shoppers stop at shelves they take nothing from: they read a label, compare prices, look for
   * something that is not there. Each look stands in front of a lane (any lane, as likely as its
   * product is popular) for 3-15 s with no hand in the shelf ({@link ScenarioAction.Kind#BROWSE}).
   * A looker at a shelf where someone else takes is what makes a position alone unsure whose hand
   * it was.
   *
   * @param perVisit mean looks per visit (a Poisson count), 0..20; each comes before one of its
   *     takes or after the last, at random
   * @param emptyHanded share of visits, 0..1, that take nothing: they look (at least once) and
   *     leave with an empty receipt
   */
  public record Looks(double perVisit, double emptyHanded) {
    public static final Looks NONE = new Looks(0, 0);
    public static final double MAX_PER_VISIT = 20;

    public Looks {
      if (!(perVisit >= 0 && perVisit <= MAX_PER_VISIT)) {
        throw new IllegalArgumentException("looks.perVisit must be in 0..20 (got: " + perVisit + ")");
      }
      if (!(emptyHanded >= 0 && emptyHanded <= 1)) {
        throw new IllegalArgumentException("looks.emptyHanded must be in 0..1 (got: " + emptyHanded + ")");
      }
    }
  }

  public static final double DEFAULT_MEAN_ITEMS = 2.5;
  public static final double DEFAULT_PUT_BACK_PROBABILITY = 0.1;
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /**
   * How often the hard cases happen, each a probability in 0..1.
   *
   * @param reach per take: the shopper stands in front of a neighbouring lane of the same shelf
   *     and reaches across (crossing hands)
   * @param handOff per visit that holds an item at the end: it hands one unit to another shopper
   *     inside at the time (who then pays for it)
   * @param lean per visit: it rests a hand or an elbow on a lane for 3-12 s (30-250 g), taking
   *     nothing there
   * @param wrongLaneReturn per put-back: the item goes to another lane of the same shelf; a
   *     later take from that lane picks the misplaced item with probability 1/2
   * @param multiGrab per take: a second lane next to it (same shelf) is taken from in the same
   *     hand interaction
   * @param group per arrival: a group of 2-3 people checking in with one token and sharing one
   *     cart; each action is done by one of them
   */
  public record HardCases(double reach, double handOff, double lean, double wrongLaneReturn, double multiGrab,
      double group) {
    public static final HardCases NONE = new HardCases(0, 0, 0, 0, 0, 0);

    public HardCases {
      share("reach", reach);
      share("handOff", handOff);
      share("lean", lean);
      share("wrongLaneReturn", wrongLaneReturn);
      share("multiGrab", multiGrab);
      share("group", group);
    }

    private static void share(String name, double v) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("hardCases." + name + " must be in 0..1 (got: " + v + ")");
      }
    }
  }

  /**
   * Crowds arriving together: a burst every {@code everySeconds}, the first at a random offset
   * within the first period (drawn from the seed, so runs of one seed agree and different seeds
   * do not all start with a train at the same second). Each brings Poisson({@code meanShoppers})
   * shoppers arriving at uniformly random instants within {@code withinSeconds} of its start, as
   * commuters file in off a platform. A real crowd does not arrive as a constant rate: it is the
   * bursts that fill a small store to its {@code maxInside} and stack shoppers at one shelf.
   *
   * @param everySeconds time from one burst's start to the next, 10..86400
   * @param meanShoppers mean shoppers per burst, &gt; 0 and at most 100 (a Poisson count: some
   *     bursts bring fewer, some more, a few none)
   * @param withinSeconds the arrivals of one burst spread over this long, &gt; 0 and at most
   *     {@code everySeconds} (bursts do not run into each other)
   */
  public record Bursts(double everySeconds, double meanShoppers, double withinSeconds) {
    public static final double MIN_EVERY_SECONDS = 10;
    public static final double MAX_EVERY_SECONDS = 86_400;
    /** Beyond this a burst is no longer a crowd at a door but a flood; it also keeps the Poisson draw exact. */
    public static final double MAX_MEAN_SHOPPERS = 100;

    public Bursts {
      if (!(everySeconds >= MIN_EVERY_SECONDS && everySeconds <= MAX_EVERY_SECONDS)) {
        throw new IllegalArgumentException("bursts.everySeconds must be in 10..86400 (got: " + everySeconds + ")");
      }
      if (!(meanShoppers > 0 && meanShoppers <= MAX_MEAN_SHOPPERS)) {
        throw new IllegalArgumentException("bursts.meanShoppers must be > 0 and <= 100 (got: " + meanShoppers + ")");
      }
      if (!(withinSeconds > 0 && withinSeconds <= everySeconds)) {
        throw new IllegalArgumentException("bursts.withinSeconds must be > 0 and <= everySeconds " + everySeconds
            + " (got: " + withinSeconds + ")");
      }
    }
  }

  public GeneratedTraffic {
    if (!(shoppersPerHour > 0) || Double.isInfinite(shoppersPerHour)) {
      throw new IllegalArgumentException("shoppersPerHour must be > 0 (got: " + shoppersPerHour + ")");
    }
    if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)) {
      throw new IllegalArgumentException("durationSeconds must be > 0 (got: " + durationSeconds + ")");
    }
    if (!(meanItems >= 1) || Double.isInfinite(meanItems)) {
      throw new IllegalArgumentException("meanItems must be >= 1 (got: " + meanItems + ")");
    }
    if (!(putBackProbability >= 0 && putBackProbability <= 1)) {
      throw new IllegalArgumentException("putBackProbability must be in 0..1 (got: " + putBackProbability + ")");
    }
    if (maxInside < 1) {
      throw new IllegalArgumentException("maxInside must be >= 1 (got: " + maxInside + ")");
    }
    if (!(browseSeconds >= 0 && browseSeconds <= 3600)) {
      throw new IllegalArgumentException("browseSeconds must be in 0..3600 (got: " + browseSeconds + ")");
    }
    if (hardCases == null) {
      throw new IllegalArgumentException("hardCases must be given (HardCases.NONE for none)");
    }
    if (!(restockEverySeconds == 0 || (restockEverySeconds >= 60 && restockEverySeconds <= 86_400))) {
      throw new IllegalArgumentException("restockEverySeconds must be 0 or 60..86400 (got: " + restockEverySeconds + ")");
    }
    if (bursts == null) {
      throw new IllegalArgumentException("bursts must be given (Optional.empty() for none)");
    }
    if (!(popularity >= 0 && popularity <= MAX_POPULARITY)) {
      throw new IllegalArgumentException("popularity must be in 0.." + MAX_POPULARITY + " (got: " + popularity + ")");
    }
    if (looks == null) {
      throw new IllegalArgumentException("looks must be given (Looks.NONE for none)");
    }
    if (hurry == null) {
      throw new IllegalArgumentException("hurry must be given (Hurry.NONE for none)");
    }
  }

  /** Nobody in a hurry. */
  public GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems, double putBackProbability,
      boolean overlap, int maxInside, HardCases hardCases, double browseSeconds, double restockEverySeconds,
      Optional<Bursts> bursts, double popularity, Looks looks) {
    this(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases, browseSeconds,
        restockEverySeconds, bursts, popularity, looks, Hurry.NONE);
  }

  /** Shoppers stop only where they take. */
  public GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems, double putBackProbability,
      boolean overlap, int maxInside, HardCases hardCases, double browseSeconds, double restockEverySeconds,
      Optional<Bursts> bursts, double popularity) {
    this(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases, browseSeconds,
        restockEverySeconds, bursts, popularity, Looks.NONE);
  }

  /** Largest {@link #popularity} exponent: beyond it the first product is nearly all that sells. */
  public static final double MAX_POPULARITY = 3;

  /** Every lane equally popular. */
  public GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems, double putBackProbability,
      boolean overlap, int maxInside, HardCases hardCases, double browseSeconds, double restockEverySeconds,
      Optional<Bursts> bursts) {
    this(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases, browseSeconds,
        restockEverySeconds, bursts, 0);
  }

  /** No bursts. */
  public GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems, double putBackProbability,
      boolean overlap, int maxInside, HardCases hardCases, double browseSeconds, double restockEverySeconds) {
    this(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases, browseSeconds,
        restockEverySeconds, Optional.empty());
  }

  /** No restocking. */
  public GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems, double putBackProbability,
      boolean overlap, int maxInside, HardCases hardCases, double browseSeconds) {
    this(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases, browseSeconds, 0);
  }

  /** Plain traffic: no cap on shoppers inside, no hard cases. */
  public GeneratedTraffic(double shoppersPerHour, double durationSeconds, double meanItems, double putBackProbability,
      boolean overlap) {
    this(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, UNLIMITED, HardCases.NONE, 0);
  }

  public static GeneratedTraffic of(double shoppersPerHour, double durationSeconds) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, DEFAULT_MEAN_ITEMS, DEFAULT_PUT_BACK_PROBABILITY, false);
  }

  public GeneratedTraffic withMaxInside(int n) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, n, hardCases, browseSeconds,
        restockEverySeconds, bursts, popularity, looks, hurry);
  }

  public GeneratedTraffic withHardCases(HardCases h) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, h, browseSeconds,
        restockEverySeconds, bursts, popularity, looks, hurry);
  }

  public GeneratedTraffic withBrowseSeconds(double s) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases, s,
        restockEverySeconds, bursts, popularity, looks, hurry);
  }

  public GeneratedTraffic withRestockEverySeconds(double s) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases,
        browseSeconds, s, bursts, popularity, looks, hurry);
  }

  public GeneratedTraffic withPopularity(double p) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases,
        browseSeconds, restockEverySeconds, bursts, p, looks, hurry);
  }

  public GeneratedTraffic withBursts(Bursts b) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases,
        browseSeconds, restockEverySeconds, Optional.of(b), popularity, looks, hurry);
  }

  public GeneratedTraffic withLooks(Looks l) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases,
        browseSeconds, restockEverySeconds, bursts, popularity, l, hurry);
  }

  public GeneratedTraffic withHurry(Hurry h) {
    return new GeneratedTraffic(shoppersPerHour, durationSeconds, meanItems, putBackProbability, overlap, maxInside, hardCases,
        browseSeconds, restockEverySeconds, bursts, popularity, looks, h);
  }
}

namespace Mender.Preference.Lexicon;

/// <summary>A phrase of the lexicon: a feature it names, or a noun that makes an aspect present in a clause.</summary>
internal sealed record LexiconEntry(Feature? Feature, string? NounAspect, bool NounCarriesGeneric = false);

/// <summary>
/// The built-in extractor's knowledge of beauty and general products: aspects (scent, texture, effect on skin and hair,
/// finish, colour, longevity, packaging, size, taste, ingredients), their nouns, the qualities of each with the
/// preference sentence for each reading, "free of" ingredients, user traits and needs, and kinds of product. Every
/// sentence the extractor writes comes from here, so it can never name a brand or talk about delivery or price.
/// </summary>
internal sealed class AspectLexicon
{
    private readonly Dictionary<string, Feature> _generic = new(StringComparer.Ordinal);
    private readonly List<Feature> _features = [];

    private AspectLexicon()
    {
    }

    public static AspectLexicon Default { get; } = Build();

    public PhraseMatcher<LexiconEntry> Matcher { get; } = new();

    /// <summary>The bare-aspect feature of each aspect that has one.</summary>
    public IReadOnlyDictionary<string, Feature> Generic => _generic;

    public IReadOnlyList<Feature> Features => _features;

    /// <summary>Nouns that name an aspect outright ("the smell"): they place qualities and carry the bare-aspect preference.</summary>
    private void Noun(string aspect, string forms, string like, string avoid)
    {
        foreach (var form in Split(forms))
            Matcher.Add(form, new LexiconEntry(null, aspect, NounCarriesGeneric: true));
        var generic = new Feature(aspect + ":any", aspect, FeatureKind.Generic, 0, like, avoid);
        _generic[aspect] = generic;
        _features.Add(generic);
    }

    /// <summary>Nouns that only place qualities ("a thick lotion" is about texture) without saying anything by themselves.</summary>
    private void PlacingNoun(string aspect, string forms)
    {
        foreach (var form in Split(forms))
            Matcher.Add(form, new LexiconEntry(null, aspect));
    }

    private void Quality(string aspect, string name, string forms, int inherent, string? like, string? avoid,
        string? negated = null, bool standalone = true, bool absenceIsComplaint = false)
    {
        var feature = new Feature(aspect + ":" + name, aspect, FeatureKind.Quality, inherent, like, avoid, negated, standalone, absenceIsComplaint);
        Register(forms, feature);
    }

    private void Need(string aspect, string name, string forms, string text) =>
        Register(forms, new Feature(aspect + ":" + name, aspect, FeatureKind.Need, 1, text, null));

    private void Product(string name, string forms, string text) =>
        Register(forms, new Feature("product:" + name, "product", FeatureKind.ProductType, 0, text, null));

    /// <summary>
    /// "X free", "free of X", "free from X", "no added X" are firm; "no X" and "without X" are soft (a complaint can use
    /// them too: "it has no scent at all"). The avoiding sentence serves users who complain about the absence.
    /// </summary>
    private void FreeOf(string name, string forms, string text, string? extraFirmForms = null)
    {
        var avoid = text.StartsWith("prefers ", StringComparison.Ordinal) ? "avoids " + text["prefers ".Length..] : null;
        var firm = new Feature("ingredient:free-" + name, "ingredient", FeatureKind.FreeOf, 1, text, avoid);
        var soft = firm with { Soft = true };
        _features.Add(firm);
        foreach (var form in Split(forms))
        {
            foreach (var phrase in new[] { form + " free", "free of " + form, "free from " + form, "no added " + form })
                Matcher.Add(phrase, new LexiconEntry(firm, null));
            foreach (var phrase in new[] { "no " + form, "without " + form, "without any " + form, "zero " + form })
                Matcher.Add(phrase, new LexiconEntry(soft, null));
        }
        if (extraFirmForms is not null)
            foreach (var form in Split(extraFirmForms))
                Matcher.Add(form, new LexiconEntry(firm, null));
    }

    private void Register(string forms, Feature feature)
    {
        _features.Add(feature);
        foreach (var form in Split(forms))
            Matcher.Add(form, new LexiconEntry(feature, null));
    }

    private static IEnumerable<string> Split(string forms) =>
        forms.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static AspectLexicon Build()
    {
        var x = new AspectLexicon();

        // Nouns: they make an aspect present and carry the bare-aspect preference.
        x.Noun("scent", "scent|scents|scented|smell|smells|smelled|smelling|smelt|fragrance|fragrances|fragranced|aroma|aromas|odor|odors|odour|oder|perfume|perfumes|perfumed|perfumey|perfumy|notes",
            "likes pleasant scents", "avoids unpleasant smells");
        x.Noun("texture", "texture|textures|consistency|formula|formulation",
            "likes a pleasant texture", "avoids unpleasant textures");
        x.PlacingNoun("texture", "gel|cream|lotion|balm|butter");
        x.PlacingNoun("skin", "skin|face|complexion|hands|body|legs|lips|pores");
        x.PlacingNoun("hair", "hair|curls|scalp|strands|locks");
        x.PlacingNoun("finish", "finish|sheen|nails|polish");
        x.Noun("color", "color|colors|colour|colours|shade|shades|hue|hues|tint|tone|tones|pigment",
            "likes flattering shades", "avoids unflattering shades");
        x.Noun("taste", "taste|tastes|tasted|tasting|flavor|flavors|flavour|flavours|aftertaste",
            "likes a pleasant taste", "avoids an unpleasant taste");
        x.Noun("packaging", "packaging|bottle|bottles|container|containers|jar|jars|tube|tubes|dispenser|cap|caps|lid|lids|sprayer|applicator|nozzle|wand",
            "likes well-designed packaging", "avoids poorly designed packaging");
        x.PlacingNoun("taste", "mouth|tongue|teeth");
        x.PlacingNoun("size", "size|sizes|sized|bar|bars|ounces|ounce|oz");

        // Scent.
        x.Quality("scent", "strong", "strong|stronger|heavy|intense|potent|powerful", 0,
            "likes strong scents", "avoids strong scents", "prefers light, subtle scents", standalone: false);
        x.Quality("scent", "overpowering", "overpowering|overwhelming|overbearing|cloying|pungent|too much perfume|too much fragrance|too much scent", -1,
            null, "avoids overpowering scents", "prefers light, subtle scents");
        x.Quality("scent", "light", "light|subtle|delicate|faint|mild|soft|gentle|understated", 0,
            "prefers light, subtle scents", "avoids faint scents", "likes strong scents", standalone: false);
        x.Quality("scent", "fresh", "fresh|clean|crisp|refreshing|airy", 1,
            "likes fresh, clean scents", "avoids fresh, clean scents", standalone: false);
        x.Quality("scent", "rose", "rose|roses|rosy|rose petals", 0, "likes rose scents", "avoids rose scents");
        x.Quality("scent", "coconut", "coconut|coconuts", 0, "likes coconut scents", "avoids coconut scents");
        x.Quality("scent", "floral", "floral|florals|flowery|flowers|flower|jasmine|jasmin|lilac|gardenia|lily|lilies|violet|peony|honeysuckle|magnolia|orange blossom|tuberose|freesia|ylang", 0,
            "likes floral scents", "avoids floral scents");
        x.Quality("scent", "lavender", "lavender", 0, "likes lavender scents", "avoids lavender scents");
        x.Quality("scent", "citrus", "citrus|citrusy|lemon|lemons|lemony|lime|orange|oranges|grapefruit|bergamot|bergamont|mandarin|tangerine|agrumes|verbena|lemongrass", 0,
            "likes citrus scents", "avoids citrus scents");
        x.Quality("scent", "woody", "woody|wood|woods|sandalwood|cedar|cedarwood|oud|vetiver|pine|oak|amber", 0,
            "likes woody scents", "avoids woody scents");
        x.Quality("scent", "musky", "musk|musky", 0, "likes musky scents", "avoids musky scents");
        x.Quality("scent", "herbal", "earthy|herbal|herbs|eucalyptus|patchouli|sage|rosemary|basil|green tea|cucumber", 0,
            "likes earthy, herbal scents", "avoids earthy, herbal scents");
        x.Quality("scent", "vanilla", "vanilla", 0, "likes vanilla scents", "avoids vanilla scents");
        x.Quality("scent", "sweet", "sweet|sweeter", 0, "likes sweet scents", "avoids sweet scents", standalone: false);
        x.Quality("scent", "gourmand", "sugary|candy|caramel|chocolate|cotton candy|candy corn|cupcake|cookie|marshmallow|gourmand", 0,
            "likes sweet, dessert-like scents", "avoids sweet, dessert-like scents");
        x.Quality("scent", "fruity", "fruity|fruit|fruits|berry|berries|strawberry|raspberry|peach|apple|pear|mango|pineapple|melon|cherry|watermelon|pomegranate|fig|plum", 0,
            "likes fruity scents", "avoids fruity scents");
        x.Quality("scent", "spicy", "spicy|spice|spices|cinnamon|clove|cloves|ginger|nutmeg", 0,
            "likes warm, spicy scents", "avoids spicy scents");
        x.Quality("scent", "powdery", "powdery|baby powder|talcum", 0, "likes powdery scents", "avoids powdery scents");
        x.Quality("scent", "aquatic", "ocean|oceanic|beach|sea breeze|aquatic|marine|rain", 0,
            "likes ocean-like, aquatic scents", "avoids aquatic scents");
        x.Quality("scent", "minty", "mint|minty|peppermint|spearmint|wintergreen|menthol", 0,
            "likes minty scents", "avoids minty scents");
        x.Quality("scent", "masculine", "manly|masculine|men's|mens", 0, "likes masculine scents", "avoids masculine scents", standalone: false);
        x.Quality("scent", "feminine", "feminine|girly|womanly", 0, "likes feminine scents", "avoids feminine scents", standalone: false);
        x.Quality("scent", "chemical", "chemical|chemically|artificial|synthetic|fake|medicinal|soapy|plastic", -1,
            null, "avoids artificial, chemical smells", "prefers natural scents", standalone: false);
        x.Quality("scent", "old-fashioned", "old lady|grandma|grandmother|granny|musty|stale", -1,
            null, "avoids old-fashioned, musty scents");
        x.Quality("scent", "lasting", "lasts|lasted|lasting|long lasting|last long|last longer|last all day|lingers|linger|lingering|stays|staying power|all day|for hours", 1,
            "wants long-lasting scents", null, standalone: false, absenceIsComplaint: true);
        // Fading is a flaw without an avoiding sentence: complaining of it, or praising its absence, says "wants long-lasting".
        x.Quality("scent", "fades", "fades|faded|fading|fade|wears off|wore off|dissipates|dissipated|disappears|vanishes|doesn't last|does not last|didn't last|did not last|don't last|do not last|won't last|doesnt last|didnt last|dont last|not last", -1,
            null, null, "wants long-lasting scents", standalone: false);

        // Texture and feel.
        x.Quality("texture", "greasy", "greasy|oily|slick|oiliness|greasiness|grease", -1,
            null, "avoids greasy textures", "prefers non-greasy textures");
        x.Quality("texture", "sticky", "sticky|tacky|gummy|stickiness|tackiness", -1,
            null, "avoids sticky formulas", "prefers non-sticky formulas");
        x.Quality("texture", "thick", "thick|thicker|dense", 0,
            "likes thick, rich textures", "avoids thick, heavy textures", "likes lightweight textures");
        x.Quality("texture", "heavy", "heavy", 0,
            "likes thick, rich textures", "avoids thick, heavy textures", "likes lightweight textures", standalone: false);
        x.Quality("texture", "lightweight", "lightweight|light weight|weightless|featherweight", 0,
            "likes lightweight textures", "avoids lightweight textures", "likes thick, rich textures");
        x.Quality("texture", "light", "light", 0,
            "likes lightweight textures", "avoids lightweight textures", "likes thick, rich textures", standalone: false);
        x.Quality("texture", "runny", "runny|watery|thin|liquidy|watered down|drippy", -1,
            null, "avoids runny, watery formulas", "likes thick, rich textures");
        x.Quality("texture", "creamy", "creamy|rich|richer|luxurious|velvety|buttery|whipped|luxury|decadent", 0,
            "likes rich, creamy textures", "avoids rich, creamy textures");
        x.Quality("texture", "smooth", "smooth|silky|soft", 1,
            "likes smooth textures", "avoids smooth textures", standalone: false);
        x.Quality("texture", "gritty", "gritty|grainy|chalky|clumpy|clumps|clumped|lumpy|cakey|caked|cakes|flaky|flakes|crumbly|crumbles", -1,
            null, "avoids gritty or chalky textures", "likes smooth textures");
        x.Quality("texture", "absorbs", "absorbs|absorbed|absorb|absorbing|absorption|soaks in|soaked in|sinks in|sank in|dries quickly|dries fast", 1,
            "likes formulas that absorb quickly", null, absenceIsComplaint: true);
        x.Quality("texture", "lather", "lather|lathers|lathering|lathered|suds|sudsy|sudsing|foam|foams|foamy|foaming|bubbly|rich lather", 1,
            "likes a rich lather", "avoids heavily foaming products", absenceIsComplaint: true);
        x.Quality("texture", "residue", "residue|film|filmy|buildup|build up|waxy", -1,
            null, "avoids products that leave a residue", "likes products that rinse clean");

        // Effect on skin.
        x.Quality("skin", "moisturizing", "moisturizing|moisturising|moisturizes|moisturized|moisturize|moisture|hydrating|hydrated|hydrates|hydration|hydrate|nourishing|nourished|nourishes|moist|emollient|quenched", 1,
            "likes deeply moisturizing products", null, absenceIsComplaint: true);
        x.Quality("skin", "drying", "drying|dries out|dried out|dry out|dries my|dried my|dehydrating|stripping|stripped|feels tight|felt tight|tight feeling|parched|cracked|chapped", -1,
            null, "avoids products that dry out the skin", "prefers gentle, non-drying products");
        x.Quality("skin", "soft", "soft|softer|softest|softness|softens|softened|smooth|smoother|smoothness|silky|silkier|supple|baby soft|velvety", 1,
            "likes products that leave skin soft and smooth", null, absenceIsComplaint: true);
        x.Quality("skin", "fresh-feel", "clean feeling|feels clean|refreshed|refreshing|invigorating|cooling|revitalizing|energizing|awake", 1,
            "likes a clean, refreshed feeling", null);
        x.Quality("skin", "irritation", "irritation|irritated|irritate|irritates|irritating|rash|rashes|itch|itchy|itching|burn|burns|burned|burning|sting|stings|stung|stinging|redness|inflamed|inflammation|allergic|allergy|allergies|reaction|reactions|hives|razor burn", -1,
            null, "avoids products that irritate the skin", "prefers gentle, non-irritating products");
        x.Quality("skin", "breakouts", "breakout|breakouts|broke out|broke me out|break out|breaks me out|breaking out|pimples|pimple|zits|clogged pores|clogs pores|clogged my pores|clog my pores|comedogenic", -1,
            null, "avoids products that cause breakouts", "prefers non-comedogenic products");
        x.Quality("skin", "gentle", "gentle|soothing|soothes|soothed|calming|calms|calmed|mild|non irritating|hypoallergenic", 1,
            "prefers gentle, soothing products", null, absenceIsComplaint: true);
        x.Quality("skin", "harsh", "harsh|abrasive|rough|aggressive", -1,
            null, "avoids harsh products", "prefers gentle, soothing products");
        x.Quality("skin", "glow", "glow|glowing|glowy|radiant|radiance|luminous|brighter|brightening|brightens|brightened", 1,
            "likes products that give skin a healthy glow", null);
        x.Quality("skin", "firming", "firmer|firming|firm|tighter skin|plumper|plump|plumping", 1,
            "likes firming, plumping products", null);

        // Effect on hair.
        x.Quality("hair", "soft", "soft|softer|smooth|smoother|silky|silkier|manageable|tangle free|detangles|detangle|detangling", 1,
            "likes products that leave hair soft and manageable", null, standalone: false, absenceIsComplaint: true);
        x.Quality("hair", "shine", "shine|shiny|shinier|glossy|lustrous|luster|lustre", 1,
            "likes products that give hair shine", null, standalone: false);
        x.Quality("hair", "volume", "volume|volumizing|volumising|body|fuller|fullness|thicker|bouncy|bounce|lift", 1,
            "likes volumizing hair products", null, standalone: false, absenceIsComplaint: true);
        x.Quality("hair", "hold", "hold|holds|held", 1, "likes products with a firm hold", null, standalone: false, absenceIsComplaint: true);
        x.Quality("hair", "stiff", "stiff|crunchy|crispy", -1, null, "avoids products that leave hair stiff or crunchy",
            "likes products with a soft, flexible hold", standalone: false);
        x.Quality("hair", "drying", "drying|dries|dried|dries out|dried out|dry out|dries my|dried my|stripping|stripped|brittle|dull|straw|straw like|frizzier", -1,
            null, "avoids products that leave hair dry and brittle", "prefers gentle, non-drying hair care", standalone: false);
        x.Quality("hair", "weighed-down", "weighs down|weighed down|weigh down|weighs my hair down|flat|limp|lifeless", -1,
            null, "avoids products that weigh hair down", "likes lightweight hair products", standalone: false);

        // Finish.
        x.Quality("finish", "matte", "matte|matt|flat finish|velvet finish", 0, "likes matte finishes", "avoids matte finishes");
        x.Quality("finish", "shimmer", "shimmer|shimmery|shimmering|pearly|pearlescent|iridescent|frosty|frosted|metallic", 0,
            "likes shimmery finishes", "avoids shimmer");
        x.Quality("finish", "glitter", "glitter|glittery|glitters|glittering|sparkle|sparkles|sparkly|sparkling|specks", 0,
            "likes glitter", "avoids glitter");
        x.Quality("finish", "glossy", "glossy|gloss|shiny|shine|high shine|wet look", 0,
            "likes glossy finishes", "avoids glossy finishes", standalone: false);
        x.Quality("finish", "dewy", "dewy|satin|natural glow", 0, "likes a dewy, satin finish", "avoids dewy finishes");
        x.Quality("finish", "natural-look", "natural look|natural looking|no makeup look|barely there", 1, "likes a natural look", null);
        x.Quality("finish", "full-coverage", "full coverage|great coverage|good coverage|covers well|buildable|coverage", 1,
            "likes full coverage", null, absenceIsComplaint: true);
        x.Quality("finish", "sheer", "sheer|light coverage", 0, "likes sheer, light coverage", "avoids sheer formulas");
        x.Quality("finish", "streaky", "streaky|streaks|streak|streaking|patchy|blotchy|uneven", -1,
            null, "avoids streaky or patchy products", "likes products that apply evenly");
        x.Quality("finish", "chips", "chips easily|chipped|chipping|peeling|peels off|peeled off|smudges|smudged|smudging|smears|smeared|transfers", -1,
            null, "avoids products that chip or smudge", "wants long-wearing products");
        x.Quality("finish", "waterproof", "waterproof|water proof|water resistant|smudge proof|sweat proof|smudgeproof", 0,
            "likes waterproof formulas", "avoids waterproof formulas");
        x.Quality("finish", "long-wear", "long wearing|long wear|stays put|stayed put|no touch ups|all day wear", 1,
            "wants long-wearing products", null, absenceIsComplaint: true);

        // Colour.
        x.Quality("color", "neutral", "neutral|neutrals|nude|nudes|earth tones|earth tone|beige|taupe|brown|browns|bronze|tan|natural", 0,
            "likes neutral, nude shades", "avoids neutral, nude shades", standalone: false);
        x.Quality("color", "bold", "bold|bolder|vibrant|neon|colorful|colourful|saturated", 0,
            "likes bright, bold colors", "avoids bright, bold colors");
        x.Quality("color", "bright", "bright|brighter|vivid|loud|pops", 0,
            "likes bright, bold colors", "avoids bright, bold colors", standalone: false);
        x.Quality("color", "pink-red", "pink|pinks|red|reds|coral|rose|berry|plum|purple|mauve|burgundy|wine|fuchsia|magenta|cherry", 0,
            "likes pink, red and berry shades", "avoids pink and red shades", standalone: false);
        x.Quality("color", "dark", "dark|deep|darker|black|navy", 0, "likes deep, dark shades", "avoids dark shades", standalone: false);
        x.Quality("color", "light", "light|pale|pastel|pastels|soft|lighter", 0, "likes light, pastel shades", "avoids pale shades", standalone: false);
        x.Quality("color", "pigmented", "pigmented|pigmentation|payoff|opaque|color payoff", 1,
            "likes richly pigmented colors", null, absenceIsComplaint: true);
        x.Quality("color", "lasting", "lasts|lasted|lasting|long lasting|last long|last all day|stays|all day", 1,
            "wants long-wearing color", null, standalone: false, absenceIsComplaint: true);
        x.Quality("color", "fades", "fade|fades|faded|fading|wears off|wore off", -1, null, null, "wants long-wearing color", standalone: false);

        // Longevity in general.
        x.Quality("longevity", "lasting", "lasts|lasted|long lasting|last long|last longer|last all day|staying power|lasts forever|lasts a long time|last a long time", 1,
            "wants long-lasting products", null, absenceIsComplaint: true);
        x.Quality("longevity", "wears-off", "wears off|wore off|wear off|fades|fade|faded|doesn't last|does not last|didn't last|did not last|don't last|won't last|doesnt last|didnt last|dont last|not last|short lived", -1,
            null, null, "wants long-lasting products");

        // Packaging, size.
        x.Quality("packaging", "leaky", "leak|leaks|leaked|leaking|leaky|spill|spilled|spills|spilling|spilt", -1,
            null, "avoids leaky packaging", "likes sealed, spill-proof packaging");
        x.Quality("packaging", "refillable", "refillable|refill|refills|reusable|less waste|low waste|zero waste|eco friendly|sustainable|recyclable", 0,
            "likes refillable, low-waste packaging", "avoids refillable packaging");
        x.Quality("packaging", "pump", "pump|pumps|pump bottle|pump dispenser", 0, "likes pump dispensers", "avoids pump dispensers");
        x.Quality("packaging", "glass", "glass|glass bottle|glass jar", 0, "likes glass packaging", "avoids glass packaging", standalone: false);
        x.Quality("packaging", "spray", "spray|sprays|spritz|mist|atomizer|spray bottle", 0, "likes spray applicators", "avoids spray applicators", standalone: false);
        x.Quality("packaging", "pretty", "beautiful|elegant|cute|attractive|gorgeous|sturdy|well made|well designed|convenient|easy to use|easy to open", 1,
            "likes attractive, practical packaging", null, standalone: false);
        x.Quality("packaging", "flimsy", "flimsy|fragile|hard to open|hard to use|hard to get out|awkward|clogs|clogged|sticks", -1,
            null, "avoids flimsy, awkward packaging", "likes attractive, practical packaging", standalone: false);
        x.Quality("size", "travel", "travel size|travel sized|travel|purse size|purse sized|portable|mini|minis|sample size|sample sizes|trial size", 0,
            "likes travel-size products", "avoids travel-size products");
        x.Quality("size", "large", "large|big|huge|generous|bigger|jumbo|family size|giant|oversized", 0,
            "likes large, generous sizes", "avoids oversized products", standalone: false);
        x.Quality("size", "small", "small|smaller|tiny|little|compact", 0,
            "likes small, compact sizes", "avoids small sizes", standalone: false);

        // Taste (oral care).
        x.Quality("taste", "minty", "mint|minty|peppermint|spearmint|wintergreen|menthol|cool mint", 0,
            "likes minty flavors", "avoids minty flavors", standalone: false);
        x.Quality("taste", "mild", "mild|gentle|subtle|light", 0, "likes mild flavors", "avoids mild flavors", "likes strong flavors", standalone: false);
        x.Quality("taste", "strong", "strong|intense|harsh|burn|burns|burning|sting|stinging", -1,
            null, "avoids strong, burning flavors", "likes mild flavors", standalone: false);
        x.Quality("taste", "sweet", "sweet|sugary|fruity|cinnamon|bubblegum|bubble gum", 0, "likes sweet flavors", "avoids sweet flavors", standalone: false);

        // Ingredients.
        x.Quality("ingredient", "natural", "natural|naturally|all natural|natural ingredients|botanical|botanicals|pure|clean ingredients", 1,
            "prefers natural ingredients", null);
        x.Quality("ingredient", "organic", "organic|organics", 1, "prefers organic products", null);
        x.Quality("ingredient", "vegan", "vegan|plant based|animal free", 1, "prefers vegan products", null);
        x.Quality("ingredient", "cruelty-free", "cruelty free|not tested on animals|animal friendly|leaping bunny", 1, "prefers cruelty-free products", null);
        x.Quality("ingredient", "chemicals", "chemicals|harsh chemicals|toxins|toxic|synthetic ingredients|preservatives", -1,
            null, "avoids harsh chemicals", "prefers products free of harsh chemicals");
        x.Quality("ingredient", "shea", "shea|shea butter", 0, "likes products with shea butter", "avoids products with shea butter");
        x.Quality("ingredient", "butters", "cocoa butter|butters|mango butter", 0,
            "likes products with cocoa or mango butter", "avoids products with cocoa or mango butter");
        x.Quality("ingredient", "oils", "argan|argan oil|jojoba|jojoba oil|coconut oil|almond oil|olive oil|avocado oil|essential oil|essential oils|rosehip|marula|castor oil|grapeseed oil|oils", 0,
            "likes products with natural oils", "avoids oil-based products");
        x.Quality("ingredient", "aloe", "aloe|aloe vera", 0, "likes products with aloe", "avoids products with aloe");
        x.Quality("ingredient", "tea-tree", "tea tree|tea tree oil", 0, "likes products with tea tree oil", "avoids products with tea tree oil");
        x.Quality("ingredient", "hyaluronic", "hyaluronic|hyaluronic acid|sodium hyaluronate", 0,
            "likes products with hyaluronic acid", "avoids products with hyaluronic acid");
        x.Quality("ingredient", "retinol", "retinol|retinoid|retinoids|retinal|tretinoin", 0, "likes products with retinol", "avoids products with retinol");
        x.Quality("ingredient", "vitamin-c", "vitamin c|ascorbic|ascorbic acid", 0, "likes products with vitamin C", "avoids products with vitamin C");
        x.Quality("ingredient", "vitamins", "vitamin|vitamins|vitamin e|niacinamide|collagen|peptides|peptide|antioxidants|antioxidant", 0,
            "likes products with vitamins and antioxidants", "avoids products with added vitamins");
        x.Quality("ingredient", "exfoliating", "exfoliating|exfoliate|exfoliates|exfoliation|exfoliant|exfoliator|salicylic|glycolic|aha|bha|peel off", 0,
            "likes exfoliating products", "avoids exfoliating products");
        x.Quality("ingredient", "charcoal", "charcoal", 0, "likes charcoal products", "avoids charcoal products");
        x.Quality("ingredient", "clay", "clay|mud|kaolin|bentonite", 0, "likes clay products", "avoids clay products");
        x.Quality("ingredient", "alcohol", "alcohol", -1, null, "avoids products with alcohol", "prefers alcohol-free products");
        x.Quality("ingredient", "parabens", "paraben|parabens", -1, null, "avoids parabens", "prefers paraben-free products");
        x.Quality("ingredient", "sulfates", "sulfate|sulfates|sulphate|sulphates|sls", -1, null, "avoids sulfates", "prefers sulfate-free products");
        x.Quality("ingredient", "silicones", "silicone|silicones|dimethicone", -1, null, "avoids silicones", "prefers silicone-free products");
        x.Quality("ingredient", "dyes", "dye|dyes|artificial color|artificial colors|food coloring", -1, null, "avoids artificial dyes", "prefers dye-free products");
        x.Quality("ingredient", "fluoride", "fluoride", 0, "likes products with fluoride", "avoids fluoride");

        x.FreeOf("fragrance", "fragrance|fragrances|scent|scents|perfume|perfumes|added fragrance|smell",
            "prefers fragrance-free products", "unscented|unfragranced|fragranceless|scentless|non scented|fragrance less");
        x.FreeOf("alcohol", "alcohol", "prefers alcohol-free products", "non alcoholic");
        x.FreeOf("paraben", "paraben|parabens", "prefers paraben-free products");
        x.FreeOf("sulfate", "sulfate|sulfates|sulphate|sulphates|sls", "prefers sulfate-free products");
        x.FreeOf("silicone", "silicone|silicones", "prefers silicone-free products");
        x.FreeOf("dye", "dye|dyes|coloring|artificial colors|artificial color", "prefers dye-free products", "color free|colour free");
        x.FreeOf("oil", "oil|oils", "prefers oil-free products");
        x.FreeOf("gluten", "gluten", "prefers gluten-free products");
        x.FreeOf("talc", "talc", "prefers talc-free products");
        x.FreeOf("phthalate", "phthalate|phthalates", "prefers phthalate-free products");
        x.FreeOf("aluminum", "aluminum|aluminium", "prefers aluminum-free products");
        x.FreeOf("chemical", "chemical|chemicals|harsh chemicals|toxins", "prefers products free of harsh chemicals");
        x.FreeOf("cruelty", "cruelty", "prefers cruelty-free products");

        // Traits and needs of the user.
        x.Need("skin", "sensitive", "sensitive skin|delicate skin|easily irritated|eczema|psoriasis|rosacea|dermatitis|allergies to fragrance|sensitive to fragrance|sensitive to scents",
            "wants products suited to sensitive skin");
        x.Need("skin", "dry-skin", "dry skin|very dry skin|flaky skin|dry patches|rough skin|dry hands|dry cracked|cracked hands|chapped lips|dry lips",
            "wants rich care for dry skin");
        x.Need("skin", "oily-skin", "oily skin|oily face|oily t zone|shiny face|greasy skin", "wants products suited to oily skin");
        x.Need("skin", "combination", "combination skin", "wants products suited to combination skin");
        x.Need("skin", "acne", "acne|acne prone|blemishes|blemish|breakout prone|blackheads|whiteheads", "wants products that help keep skin clear");
        x.Need("skin", "aging", "wrinkles|wrinkle|fine lines|anti aging|anti wrinkle|mature skin|aging skin|older skin|crow's feet|sagging", "wants anti-aging care");
        x.Need("skin", "spots", "dark spots|age spots|sun spots|sunspots|hyperpigmentation|uneven skin tone|discoloration|dark circles|scars|scarring",
            "wants products that even out skin tone");
        x.Quality("skin", "spf", "spf|spf 30|spf 50|spf 15|sun protection|uv protection|sunscreen built in", 0,
            "wants built-in sun protection (SPF)", "avoids products with SPF");
        x.Need("skin", "sunburn", "sunburn|sun burn|burn easily", "wants strong sun protection");
        x.Need("hair", "curly", "curly hair|curls|curly|wavy hair|wavy|coily|kinky hair|natural hair", "wants products suited to curly hair");
        x.Need("hair", "fine", "thin hair|fine hair|thinning hair|thinning|fine thin hair|limp hair|hair loss|losing hair|balding", "wants care for fine, thin hair");
        x.Need("hair", "thick", "thick hair|coarse hair|coarse", "wants products suited to thick, coarse hair");
        x.Need("hair", "dry-hair", "dry hair|damaged hair|brittle hair|split ends|breakage|frizzy hair|heat damage|bleached hair", "wants repair for dry, damaged hair");
        x.Need("hair", "oily-hair", "oily hair|greasy hair|oily scalp", "wants products suited to oily hair");
        x.Need("hair", "color-treated", "color treated|colored hair|dyed hair|color treated hair|highlights|colour treated", "wants products safe for color-treated hair");
        x.Need("hair", "gray", "gray hair|grey hair|white hair|silver hair|brassy|brassiness", "wants care for gray or silver hair");
        x.Need("hair", "frizz", "frizz|frizzy|flyaways|fly aways|humidity|humid", "wants frizz control for hair");
        x.Need("hair", "dandruff", "dandruff|flaky scalp|itchy scalp|dry scalp|seborrheic", "wants anti-dandruff care");
        x.Need("oral", "breath", "fresh breath|bad breath|breath|freshens", "wants products that freshen breath");
        x.Need("oral", "teeth", "gums|gum health|plaque|cavities|whitening|whiter teeth|tartar|gingivitis|enamel", "wants products that care for teeth and gums");
        x.Need("body", "sweat", "odor protection|sweat|sweating|perspiration|body odor", "wants reliable odor protection");

        // Kinds of product: only weak positive fillers.
        x.Product("shampoo", "shampoo|shampoos|dry shampoo", "likes shampoos");
        x.Product("conditioner", "conditioner|conditioners|leave in conditioner|leave in|detangler|hair mask|deep conditioner", "likes conditioners and hair masks");
        x.Product("soap", "soap|soaps|bar soap|bar soaps|hand soap|soap bar|soap bars|glycerin soap", "likes bar soaps");
        x.Product("body-wash", "body wash|body washes|shower gel|shower gels|bath gel|bath gels|shower cream|bubble bath|bath foam", "likes body washes and shower gels");
        x.Product("lotion", "lotion|lotions|body lotion|hand lotion|body cream|body butter|hand cream", "likes body lotions and creams");
        x.Product("face-cream", "moisturizer|moisturiser|night cream|face cream|day cream|eye cream|serum|serums|facial oil", "likes face creams and serums");
        x.Product("cleanser", "cleanser|cleansers|face wash|facial wash|toner|toners|micellar water|makeup remover|face mask|facial mask|sheet mask|scrub|scrubs", "likes facial cleansers and masks");
        x.Product("perfume", "perfume|perfumes|cologne|colognes|eau de toilette|eau de parfum|body spray|body mist|fragrance mist|edt|edp|after shave|aftershave|after shave lotion", "likes perfumes and colognes");
        x.Product("deodorant", "deodorant|deodorants|antiperspirant", "likes deodorants");
        x.Product("oral-care", "mouthwash|mouth wash|mouth rinse|toothpaste|tooth paste|floss|toothbrush", "likes oral care products");
        x.Product("nail", "nail polish|nail polishes|polish|top coat|base coat|nail color|gel polish|nail art", "likes nail polish");
        x.Product("nail-tools", "nail brush|nail file|foot file|nail clipper|nail clippers|cuticle|pumice|foot scrubber|callus", "likes nail and foot care tools");
        x.Product("bath-tools", "sponge|sponges|loofah|loofahs|washcloth|bath brush|body brush|exfoliating gloves|sea sponge", "likes bath sponges and brushes");
        x.Product("eye-makeup", "eyeshadow|eye shadow|eyeshadows|mascara|eyeliner|eye liner|brow pencil|eyebrow|palette", "likes eye makeup");
        x.Product("lip", "lipstick|lipsticks|lip balm|lip gloss|chapstick|lip stain|lip liner|lip color", "likes lip products");
        x.Product("face-makeup", "foundation|concealer|powder|blush|bronzer|primer|bb cream|cc cream|highlighter|setting spray", "likes face makeup");
        x.Product("hair-styling", "hair spray|hairspray|hair gel|mousse|pomade|styling cream|curl cream|texturizing spray|heat protectant|hair oil|wax", "likes hair styling products");
        x.Product("hair-color", "hair dye|hair color|hair colour|henna|root touch up", "likes hair color products");
        x.Product("shaving", "razor|razors|shaving cream|shave cream|shaving gel|shave gel|shaving soap|pre shave|beard oil|shave", "likes shaving products");
        x.Product("sun-care", "sunscreen|sunblock|sun screen|tanning lotion|self tanner|bronzing", "likes sun care products");
        x.Product("bath", "bath bomb|bath bombs|bath salts|bath salt|bath oil|epsom salt", "likes bath soaks and bath bombs");
        x.Product("brushes", "makeup brush|makeup brushes|brush set|blending sponge|beauty blender|applicator brush|comb|combs|hair brush|hairbrush", "likes makeup brushes and hair tools");
        x.Product("tools", "tweezers|eyelash curler|mirror|hair dryer|flat iron|curling iron|straightener|trimmer|clippers", "likes beauty tools");

        return x;
    }
}

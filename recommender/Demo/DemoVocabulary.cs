namespace Mender.Recommender.Demo;

/// <summary>
/// The words of the demo world: product types grouped into routines, the attributes tastes are made of, brand name parts,
/// title adjectives and the sentences reviews are composed from. "{type}" in a sentence stands for the product type.
/// </summary>
internal static class DemoVocabulary
{
    public const string Scent = "scent", Finish = "finish", Texture = "texture", Colour = "colour", Active = "active";

    private static readonly string[] Sizes = ["1 fl oz", "1.7 oz", "2 fl oz", "4 fl oz", "6.7 fl oz"];
    private static readonly string[] LargeSizes = ["3 fl oz", "8 fl oz", "12 fl oz", "16 fl oz"];
    private static readonly string[] PerfumeSizes = ["0.33 fl oz", "1 fl oz", "1.7 fl oz", "3.4 fl oz"];
    private static readonly string[] Packs = ["single", "3 pack", "5 pack", "10 pack"];
    private static readonly string[] SkinShades = ["Porcelain", "Ivory", "Sand", "Honey", "Caramel", "Mocha", "Espresso"];
    private static readonly string[] LipShades = ["Rosewood", "Berry", "Coral", "Cherry", "Nude Pink", "Mauve", "Brick Red", "Plum"];
    private static readonly string[] NailShades = ["Ruby", "Midnight Blue", "Blush Pink", "Sage", "Lilac", "Gold Rush", "Classic Red", "Taupe"];
    private static readonly string[] EyeShades = ["Black", "Brown", "Black-Brown", "Soft Taupe"];
    private static readonly string[] Palettes = ["Sunset", "Smoky Quartz", "Desert Rose", "Ocean", "Bronze Age", "Golden Hour"];
    private static readonly string[] GlowShades = ["Champagne", "Pearl", "Rose Gold", "Translucent", "Peach"];

    /// <summary>Routines: the order users tend to buy the steps in. A type's routine index and step come from here.</summary>
    private static readonly (string Category, string Subcategory, (string Name, double Price, string[] Variants)[] Steps)[] Routines =
    [
        ("Skin Care", "Face", [("Facial Cleanser", 14, Sizes), ("Toner", 16, Sizes), ("Serum", 28, Sizes), ("Eye Cream", 26, Sizes),
            ("Moisturizer", 24, Sizes), ("Sunscreen", 18, Sizes)]),
        ("Skin Care", "Treatments", [("Micellar Water", 11, LargeSizes), ("Exfoliating Scrub", 15, Sizes), ("Clay Mask", 19, Sizes),
            ("Sheet Mask", 6, Packs), ("Face Oil", 30, Sizes), ("Night Cream", 32, Sizes)]),
        ("Makeup", "Face", [("Primer", 22, Sizes), ("Foundation", 30, SkinShades), ("Concealer", 20, SkinShades),
            ("Setting Powder", 24, GlowShades), ("Blush", 18, LipShades), ("Highlighter", 22, GlowShades)]),
        ("Makeup", "Eyes", [("Mascara", 16, EyeShades), ("Eyeliner", 12, EyeShades), ("Eyeshadow Palette", 34, Palettes),
            ("Brow Gel", 14, EyeShades)]),
        ("Makeup", "Lips", [("Lip Balm", 6, LipShades), ("Lipstick", 18, LipShades), ("Lip Gloss", 14, LipShades)]),
        ("Nail Care", "Nails", [("Nail Polish Remover", 7, LargeSizes), ("Cuticle Oil", 9, Sizes), ("Nail Polish", 10, NailShades),
            ("Top Coat", 10, NailShades)]),
        ("Hair Care", "Hair", [("Shampoo", 12, LargeSizes), ("Conditioner", 12, LargeSizes), ("Hair Mask", 18, Sizes),
            ("Hair Oil", 20, Sizes), ("Heat Protectant Spray", 15, LargeSizes), ("Styling Cream", 14, Sizes), ("Dry Shampoo", 11, LargeSizes)]),
        ("Bath & Body", "Bath and Body Care", [("Bath Bomb", 7, Packs), ("Body Wash", 10, LargeSizes), ("Body Scrub", 14, Sizes),
            ("Body Lotion", 13, LargeSizes), ("Body Oil", 19, Sizes), ("Hand Cream", 9, Sizes), ("Deodorant", 9, Sizes)]),
        ("Fragrance", "Perfumes and Mists", [("Body Mist", 16, LargeSizes), ("Eau de Parfum", 58, PerfumeSizes),
            ("Solid Perfume", 22, PerfumeSizes)]),
    ];

    public static IReadOnlyList<DemoProductType> ProductTypes { get; } =
        Routines.SelectMany((routine, r) => routine.Steps.Select((step, s) =>
            new DemoProductType(step.Name, routine.Category, routine.Subcategory, step.Price, step.Variants, VariantKind(step.Variants), r, s)))
        .ToArray();

    private static string VariantKind(string[] variants) =>
        ReferenceEquals(variants, Packs) ? "Pack"
        : ReferenceEquals(variants, Sizes) || ReferenceEquals(variants, LargeSizes) || ReferenceEquals(variants, PerfumeSizes) ? "Size"
        : "Shade";

    public static IReadOnlyList<string> Categories { get; } = ProductTypes.Select(t => t.Category).Distinct().ToArray();

    private static string[] Of(params string[][] groups) => groups.SelectMany(g => g).Distinct().ToArray();

    private static string[] Routine(int index) => Routines[index].Steps.Select(s => s.Name).ToArray();

    private static readonly string[] SkinTypes = Of(Routine(0), Routine(1));
    private static readonly string[] HairTypes = Routine(6);
    private static readonly string[] BodyTypes = Routine(7);
    private static readonly string[] FragranceTypes = Routine(8);
    private static readonly string[] AllTypes = ProductTypes.Select(t => t.Name).ToArray();
    private static readonly string[] ColourTypes = ["Lipstick", "Lip Gloss", "Eyeshadow Palette", "Nail Polish", "Eyeliner", "Blush"];
    private static readonly string[] CreamTypes =
        ["Moisturizer", "Serum", "Sunscreen", "Foundation", "Primer", "Body Lotion", "Conditioner", "Hair Oil", "Night Cream",
         "Eye Cream", "Face Oil", "Hand Cream", "Styling Cream", "Hair Mask"];

    public static IReadOnlyList<DemoAttribute> Attributes { get; } =
    [
        new("fragrance-free", "fragrance-free", Scent, Of(SkinTypes, HairTypes, BodyTypes[1..], Routine(2), ["Lip Balm"]), "Fragrance-Free", null,
            ["I love that it's fragrance-free, my skin stays calm.", "Fragrance-free, so no headache and no irritation.",
             "Finally a fragrance-free {type} that actually works."],
            ["Being fragrance-free, it has a flat chemical smell.", "I missed having a scent; fragrance-free is just not for me."],
            "I wish it were fragrance-free.", "Fragrance-free and gentle", "Too plain, fragrance-free"),
        new("lavender scent", "lavender", Scent, Of(SkinTypes, HairTypes, BodyTypes, FragranceTypes), "Lavender", null,
            ["The lavender scent is so relaxing.", "Smells like fresh lavender, lovely at night."],
            ["The lavender smell is overpowering.", "Way too much lavender, it smells like an old drawer."],
            "I wish it had a lavender scent.", "Lovely lavender", "Too much lavender"),
        new("vanilla scent", "vanilla", Scent, Of(HairTypes, BodyTypes, FragranceTypes, Routine(4)), "Vanilla", null,
            ["The warm vanilla scent is heavenly.", "Smells like vanilla cookies, I keep sniffing my wrist."],
            ["The vanilla is sickly sweet.", "Cloying vanilla smell that lingers all day."],
            "I wish it smelled of vanilla.", "Warm vanilla heaven", "Sickly sweet vanilla"),
        new("citrus scent", "citrus", Scent, Of(SkinTypes, HairTypes, BodyTypes, FragranceTypes), "Citrus", null,
            ["Fresh citrus scent that wakes me up.", "The citrus smell is bright and clean."],
            ["The citrus scent stings my nose.", "Smells like citrus cleaning spray."],
            "I wish it had a citrus scent.", "Bright citrus", "Harsh citrus smell"),
        new("rose scent", "rose", Scent, Of(SkinTypes, BodyTypes, FragranceTypes, Routine(4)), "Rose", null,
            ["A soft rose scent, very elegant.", "Smells like real roses from the garden."],
            ["The rose smell is old-fashioned and strong.", "Too much rose, it smells like soap."],
            "I wish it had a rose scent.", "Elegant rose", "Overpowering rose"),
        new("coconut scent", "coconut", Scent, Of(HairTypes, BodyTypes, FragranceTypes, Routine(4)), "Coconut", null,
            ["The coconut scent makes me think of summer.", "Love the creamy coconut smell."],
            ["The coconut smell is fake and strong.", "Coconut overload, I could not stand it."],
            "I wish it smelled of coconut.", "Summery coconut", "Fake coconut smell"),
        new("matte", "matte", Finish,
            ["Foundation", "Setting Powder", "Blush", "Primer", "Eyeshadow Palette", "Lipstick", "Nail Polish", "Top Coat"], "Matte", null,
            ["The matte finish stays put all day.", "Perfect matte look with no shine."],
            ["The matte finish looks flat and dry on me.", "Too matte, it settles into every line."],
            "I wish it came in a matte finish.", "Beautiful matte finish", "Too matte and drying"),
        new("shimmer", "shimmer", Finish,
            ["Highlighter", "Blush", "Eyeshadow Palette", "Lipstick", "Lip Gloss", "Nail Polish", "Body Oil", "Body Mist", "Setting Powder"],
            "Shimmer", null,
            ["The subtle shimmer gives a gorgeous glow.", "Just enough shimmer to catch the light."],
            ["The shimmer makes my skin look oily.", "Too much shimmer for everyday wear."],
            "I wish it had a little shimmer.", "Gorgeous shimmer", "Too much shimmer"),
        new("glitter", "glitter", Finish,
            ["Eyeshadow Palette", "Lip Gloss", "Nail Polish", "Top Coat", "Bath Bomb", "Body Oil", "Highlighter", "Eyeliner"], "Glitter", null,
            ["The glitter is so much fun and sparkles beautifully.", "Chunky glitter that looks amazing in the light."],
            ["Too much glitter, it got everywhere.", "Glitter all over my face and clothes for days."],
            "I wish it had a bit of glitter.", "Sparkly glitter fun", "Glitter everywhere"),
        new("dewy finish", "dewy", Finish, ["Foundation", "Primer", "Highlighter", "Moisturizer", "Face Oil", "Blush"], "Dewy", null,
            ["It leaves a dewy glow that looks healthy.", "Gorgeous dewy finish, my skin looks fresh."],
            ["The dewy finish just looks greasy on me.", "Too dewy, I look sweaty by noon."],
            "I wish the finish were more dewy.", "Healthy dewy glow", "Greasy dewy finish"),
        new("lightweight", "lightweight", Texture, CreamTypes, "Lightweight", null,
            ["So lightweight I forget I'm wearing it.", "Lightweight and absorbs in seconds."],
            ["Too lightweight to do anything for my dry skin.", "It's so lightweight it barely does anything."],
            "I wish it were more lightweight.", "Lightweight and fresh", "Too lightweight"),
        new("rich texture", "rich", Texture, CreamTypes, "Rich", null,
            ["Rich and creamy, my dry patches are gone.", "The rich texture feels luxurious."],
            ["Way too rich and greasy for me.", "The rich texture clogged my pores."],
            "I wish the texture were richer.", "Rich and creamy", "Too rich and greasy"),
        new("vegan", "vegan", "", AllTypes, "Vegan", null,
            ["Love that it's vegan.", "Happy to find a vegan {type} that performs."], [],
            "I wish it were vegan.", "Vegan and effective", ""),
        new("cruelty-free", "cruelty-free", "", AllTypes, null, null,
            ["Cruelty-free, which matters a lot to me.", "Glad this brand is cruelty-free."], [],
            "I wish it were cruelty-free.", "Cruelty-free favorite", ""),
        new("organic", "organic", "", Of(SkinTypes, HairTypes, BodyTypes, ["Lip Balm"]), "Organic", null,
            ["Organic ingredients and you can feel it.", "I trust the organic formula on my skin."], [],
            "I wish it were organic.", "Organic goodness", ""),
        new("paraben-free", "paraben-free", "", Of(SkinTypes, HairTypes, BodyTypes, Routine(2)), null, null,
            ["Paraben-free, which I always look for.", "Nice to see a paraben-free formula."], [],
            "I wish it were paraben-free.", "Clean and paraben-free", ""),
        new("sulfate-free", "sulfate-free", "", ["Shampoo", "Body Wash", "Facial Cleanser", "Conditioner"], "Sulfate-Free", null,
            ["Sulfate-free, so my color doesn't fade.", "A gentle sulfate-free lather."],
            ["The sulfate-free formula barely lathers.", "Sulfate-free means I need three times as much."],
            "I wish it were sulfate-free.", "Gentle sulfate-free", "Sulfate-free, no lather"),
        new("alcohol-free", "alcohol-free", "",
            ["Toner", "Micellar Water", "Serum", "Dry Shampoo", "Body Mist", "Heat Protectant Spray"], "Alcohol-Free", null,
            ["Alcohol-free, so it doesn't dry me out.", "Soothing alcohol-free formula."], [],
            "I wish it were alcohol-free.", "Alcohol-free and soothing", ""),
        new("oil-free", "oil-free", "",
            ["Moisturizer", "Sunscreen", "Foundation", "Primer", "Concealer", "Facial Cleanser", "Micellar Water"], "Oil-Free", null,
            ["Oil-free, so no breakouts for me.", "Oil-free and my T-zone stays matte."], [],
            "I wish it were oil-free.", "Oil-free, no breakouts", ""),
        new("long-lasting", "long-lasting", "",
            ["Foundation", "Concealer", "Lipstick", "Mascara", "Eyeliner", "Nail Polish", "Top Coat", "Eau de Parfum", "Body Mist",
             "Deodorant", "Brow Gel", "Setting Powder", "Solid Perfume"], "Long-Lasting", null,
            ["Truly long-lasting, it survived a twelve-hour day.", "Long-lasting wear without touch-ups."], [],
            "I wish it were more long-lasting.", "Long-lasting for real", ""),
        new("waterproof", "waterproof", "", ["Mascara", "Eyeliner", "Sunscreen", "Brow Gel", "Foundation"], "Waterproof", null,
            ["Waterproof for real, it survived a swim.", "Waterproof and no smudging at all."],
            ["Waterproof means it takes forever to remove.", "The waterproof formula is impossible to take off."],
            "I wish it were waterproof.", "Truly waterproof", "Waterproof, impossible to remove"),
        new("SPF 30", "SPF", "", ["Moisturizer", "Sunscreen", "Foundation", "Lip Balm", "Primer"], "SPF 30", null,
            ["Having SPF 30 built in saves me a step.", "Love the SPF protection on sunny days."],
            ["The SPF leaves a white cast.", "The SPF smell is unpleasant."],
            "I wish it had SPF.", "SPF that works", "SPF white cast"),
        new("hyaluronic acid", "hyaluronic", Active,
            ["Serum", "Moisturizer", "Eye Cream", "Toner", "Sheet Mask", "Night Cream", "Primer"], null, "Hyaluronic Acid",
            ["The hyaluronic acid keeps my skin plump all day.", "Hyaluronic acid goodness, so hydrating."], [],
            "I wish it had hyaluronic acid.", "Hyaluronic hydration", ""),
        new("retinol", "retinol", Active, ["Serum", "Night Cream", "Eye Cream", "Moisturizer"], null, "Retinol",
            ["The retinol smoothed my fine lines.", "Gentle retinol that shows results."],
            ["The retinol made my skin peel and sting.", "Too harsh, the retinol irritated me."],
            "I wish it had retinol.", "Retinol results", "Retinol irritation"),
        new("vitamin C", "vitamin C", Active, ["Serum", "Moisturizer", "Toner", "Sheet Mask", "Eye Cream"], null, "Vitamin C",
            ["The vitamin C really brightened my skin.", "Glowing skin thanks to the vitamin C."],
            ["The vitamin C formula stings.", "The vitamin C oxidized and turned orange."],
            "I wish it had vitamin C.", "Vitamin C glow", "Vitamin C stings"),
        new("tea tree", "tea tree", Active,
            ["Facial Cleanser", "Toner", "Clay Mask", "Shampoo", "Body Wash", "Face Oil", "Conditioner"], null, "Tea Tree",
            ["Tea tree keeps my breakouts away.", "I love the fresh tea tree tingle."],
            ["The tea tree smell is medicinal.", "Tea tree is way too harsh for me."],
            "I wish it had tea tree.", "Tea tree clears skin", "Medicinal tea tree"),
        new("charcoal", "charcoal", Active,
            ["Facial Cleanser", "Clay Mask", "Exfoliating Scrub", "Shampoo", "Body Wash", "Body Scrub", "Sheet Mask"], null, "Charcoal",
            ["The charcoal deep-cleans my pores.", "Charcoal detox that leaves my skin fresh."],
            ["The charcoal makes such a mess in the sink.", "Charcoal left gray residue everywhere."],
            "I wish it had charcoal.", "Charcoal deep clean", "Messy charcoal"),
        new("shea butter", "shea butter", Active,
            ["Body Lotion", "Hand Cream", "Lip Balm", "Hair Mask", "Conditioner", "Night Cream", "Body Scrub", "Styling Cream"], null,
            "Shea Butter",
            ["The shea butter makes it so nourishing.", "Shea butter softness that lasts all day."],
            ["The shea butter feels heavy and greasy.", "Too much shea butter, it weighed everything down."],
            "I wish it had shea butter.", "Nourishing shea butter", "Heavy shea butter"),
        new("for sensitive skin", "sensitive", "",
            Of(SkinTypes, ["Foundation", "Concealer", "Body Lotion", "Body Wash", "Hand Cream", "Deodorant"]), null, null,
            ["Made for sensitive skin and it shows, no redness.", "Finally something gentle enough for my sensitive skin."], [],
            "I wish it were made for sensitive skin.", "Gentle on sensitive skin", ""),
        new("travel size", "travel size", "", AllTypes, "Travel Size", null,
            ["The travel size fits perfectly in my bag.", "Love the travel size for trips."],
            ["The travel size runs out way too fast.", "Travel size is tiny for the price."],
            "I wish it came in a travel size.", "Perfect travel size", "Tiny travel size"),
        new("refillable", "refillable", "",
            ["Foundation", "Setting Powder", "Blush", "Highlighter", "Lipstick", "Eyeshadow Palette", "Eau de Parfum", "Moisturizer",
             "Deodorant"], "Refillable", null,
            ["Refillable packaging means less waste.", "I love that the case is refillable."], [],
            "I wish it were refillable.", "Refillable and less waste", ""),
        new("bold colors", "bold", Colour, ColourTypes, "Bold", null,
            ["Bold, saturated color that really pops.", "The bold pigment is stunning."],
            ["The colors are way too bold for me.", "Too bold, I looked like I was going on stage."],
            "I wish the color were bolder.", "Bold and beautiful", "Far too bold"),
        new("nude tones", "nude", Colour, ColourTypes, "Nude", null,
            ["Perfect nude tones for every day.", "The nude shade matches me perfectly."],
            ["The nude shades wash me out.", "Nude tones look lifeless on me."],
            "I wish it came in nude tones.", "Perfect nudes", "Washed-out nudes"),
    ];

    /// <summary>Attributes a user can dislike: those with complaints worth writing (nobody dislikes "cruelty-free").</summary>
    public static IReadOnlyList<DemoAttribute> Dislikeable { get; } = Attributes.Where(a => a.Complaints.Count > 0).ToArray();

    public static DemoAttribute Attribute(string name) => Attributes.First(a => a.Name == name);

    public static readonly string[] BrandFirst =
        ["Luna", "Willow", "Aurora", "Saffron", "Juniper", "Coral", "Ivy", "Maple", "Opal", "Fern", "Solstice", "Marigold", "Hazel",
         "Nova", "Bramble", "Cove", "Ember", "Sable", "Meadow", "Quill", "Harbor", "Lark", "Clover", "Indigo", "Pebble", "Wren",
         "Tamsin", "Orchard", "Birch", "Velvet Moth"];

    public static readonly string[] BrandSecond =
        ["Botanics", "Beauty", "Lab", "& Co.", "Naturals", "Cosmetics", "Skin", "Studio", "Apothecary", "Atelier", "Glow", "Essentials"];

    /// <summary>Attributes that can define a brand's line (all its products have them where they apply).</summary>
    public static readonly string[] BrandSignatures =
        ["vegan", "cruelty-free", "organic", "fragrance-free", "glitter", "shimmer", "bold colors", "paraben-free", "refillable",
         "long-lasting", "rich texture", "lightweight", "nude tones", "for sensitive skin"];

    public static readonly string[] Adjectives =
        ["Gentle", "Daily", "Pure", "Radiant", "Velvet", "Silk", "Soft-Focus", "Hydrating", "Clarifying", "Nourishing", "Everyday",
         "Signature", "Essential", "Glow", "Calming", "Smoothing", "Brightening", "Renewing", "Classic", "Ultra", "Cloud", "Barely-There"];

    public static readonly string[][] Openers =
    [
        ["Would not buy this {type} again.", "This {type} was a waste of money.", "Really did not like this {type}."],
        ["Disappointed with this {type}.", "Not a great {type}.", "I expected more from this {type}."],
        ["It's an okay {type}.", "Mixed feelings about this {type}.", "This {type} is fine, nothing special."],
        ["Really nice {type}.", "A solid {type}, I'm happy with it.", "Very good {type} overall."],
        ["Absolutely love this {type}.", "Best {type} I have tried in years.", "This {type} is my new favorite."],
    ];

    public static readonly string[] GoodRemarks =
        ["The packaging is pretty and sturdy.", "Good value for the price.", "A little goes a long way.", "Arrived quickly and well packed."];

    public static readonly string[] BadRemarks =
        ["The pump stopped working after a week.", "Overpriced for what you get.", "The bottle leaked in transit."];

    public static readonly string[] PlainRemarks = ["The packaging is nothing special.", "The price is about average."];

    public static readonly string[][] Closers =
    [
        ["Returning it.", "Not repurchasing."],
        ["Not repurchasing.", "I'll give it away."],
        ["Might try something else next time.", "It will do until it runs out."],
        ["Would recommend.", "I'd buy it again."],
        ["Will buy again.", "Highly recommend.", "Already ordered a backup."],
    ];

    public static readonly string[][] Summaries =
    [
        ["Do not buy", "Waste of money"],
        ["Disappointing", "Not for me"],
        ["It's okay", "Just average"],
        ["Very nice", "Good buy"],
        ["Love it!", "Five stars", "My new favorite"],
    ];
}

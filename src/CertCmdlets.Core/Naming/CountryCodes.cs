using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace CertCmdlets.Core.Naming
{
    /// <summary>ISO 3166-1 alpha-2 country codes, as X.509 subject C= needs them, with suggestions for common mistakes.</summary>
    /// <remarks>
    /// The table holds the 249 officially assigned ISO 3166-1 codes (alpha-2, alpha-3, English short name and full
    /// name, as published in the Debian iso-codes 4.15.0 data). User-assigned codes such as XK (Kosovo) and
    /// exceptionally reserved codes such as EU and UK are not assigned and are never returned as valid codes; a few
    /// reserved ones are mapped by <see cref="Suggest"/> to the assigned code they stand for (UK to GB). The lookup
    /// tables are built once, when the type is initialized, and are read-only afterwards.
    /// </remarks>
    internal static class CountryCodes
    {
        /// <summary>Assigned alpha-2 code (upper case, looked up case-insensitively) to English short name.</summary>
        private static readonly ReadOnlyDictionary<string, string> s_nameByAlpha2 = BuildNames();

        /// <summary>Normalized lookup key (see <see cref="MakeKey"/>) to the assigned code it suggests.</summary>
        private static readonly ReadOnlyDictionary<string, string> s_suggestionByKey = BuildSuggestions();

        /// <summary>
        /// True when <paramref name="code"/> is exactly two ASCII letters (any case) forming an officially assigned
        /// ISO 3166-1 alpha-2 code (one of the 249 assigned codes).
        /// </summary>
        /// <param name="code">The candidate code; null gives false.</param>
        /// <returns>Whether the code is assigned.</returns>
        public static bool IsAssigned(string code)
        {
            return IsTwoAsciiLetters(code) && s_nameByAlpha2.ContainsKey(code);
        }

        /// <summary>
        /// Returns the canonical upper-case alpha-2 code when <paramref name="input"/> is an assigned code in any
        /// case ("us" gives "US"); otherwise null. Nothing is trimmed or corrected; see <see cref="Suggest"/> for that.
        /// </summary>
        /// <param name="input">The candidate code; null gives null.</param>
        /// <returns>The upper-case code, or null.</returns>
        public static string? Normalize(string input)
        {
            return IsAssigned(input) ? input.ToUpperInvariant() : null;
        }

        /// <summary>
        /// For a wrong country value, the assigned alpha-2 code the user most likely meant, or null when nothing fits.
        /// Understands reserved codes that stand for an assigned one ("UK" gives "GB"), every alpha-3 code ("DEU"
        /// gives "DE"), the English short names, common English names ("Holland", "Ivory Coast", "England") and a few
        /// endonyms ("Deutschland", "Suisse"), ignoring case, diacritics, punctuation, spacing and the word "the".
        /// An assigned code written loosely (" u.s. ") gives itself. Never returns a code that
        /// <see cref="IsAssigned"/> rejects; unassigned codes such as "EU" and "XK" (Kosovo) give null.
        /// </summary>
        /// <param name="input">What the user typed; null gives null.</param>
        /// <returns>An assigned upper-case alpha-2 code, or null.</returns>
        public static string? Suggest(string input)
        {
            // Longer values are not country names; do not spend work on them.
            if (input is null || input.Length > 200)
            {
                return null;
            }

            string? key = MakeKey(input);
            if (key is null)
            {
                return null;
            }

            // An assigned code written loosely (" us ", "u.s.") stands for itself; no alias may redirect it.
            if (key.Length == 2 && s_nameByAlpha2.ContainsKey(key))
            {
                return key;
            }

            return s_suggestionByKey.TryGetValue(key, out string? code) ? code : null;
        }

        /// <summary>The English short name of an assigned code in any case ("DE" gives "Germany"), or null.</summary>
        /// <param name="code">The alpha-2 code; null gives null.</param>
        /// <returns>The English short name, or null when the code is not assigned.</returns>
        public static string? NameOf(string code)
        {
            if (IsTwoAsciiLetters(code) && s_nameByAlpha2.TryGetValue(code, out string? name))
            {
                return name;
            }

            return null;
        }

        /// <summary>The assigned codes and their English short names, from <see cref="CountryRows"/>.</summary>
        private static ReadOnlyDictionary<string, string> BuildNames()
        {
            Dictionary<string, string> names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string row in CountryRows())
            {
                string[] parts = row.Split('|');
                names.Add(parts[0], parts[2]);
            }

            return new ReadOnlyDictionary<string, string>(names);
        }

        /// <summary>
        /// The suggestion keys: every alpha-3 code, short name and full name, then every alias. A key claimed for two
        /// codes, or an alias that would hide an assigned alpha-2 code, is a data error: it fails type initialization,
        /// so the first test that touches this type reports a bad edit of the tables.
        /// </summary>
        private static ReadOnlyDictionary<string, string> BuildSuggestions()
        {
            HashSet<string> assigned = new HashSet<string>(StringComparer.Ordinal);
            Dictionary<string, string> suggestions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string row in CountryRows())
            {
                string[] parts = row.Split('|');
                string alpha2 = parts[0];
                assigned.Add(alpha2);
                for (int i = 1; i < parts.Length; i++)
                {
                    AddSuggestion(suggestions, parts[i], alpha2);
                }
            }

            foreach (string row in AliasRows())
            {
                string[] parts = row.Split('|');
                string alpha2 = parts[0];
                if (!assigned.Contains(alpha2))
                {
                    throw new InvalidOperationException("Country alias row for unassigned code " + alpha2 + ".");
                }

                for (int i = 1; i < parts.Length; i++)
                {
                    string? key = MakeKey(parts[i]);
                    if (key is not null && key.Length == 2 && assigned.Contains(key))
                    {
                        // An assigned code always stands for itself; an alias must never redirect it.
                        throw new InvalidOperationException("Country alias '" + parts[i] + "' hides an assigned code.");
                    }

                    AddSuggestion(suggestions, parts[i], alpha2);
                }
            }

            return new ReadOnlyDictionary<string, string>(suggestions);
        }

        /// <summary>
        /// The 249 officially assigned ISO 3166-1 codes, one row each: alpha-2|alpha-3|English short name, then the
        /// English full name where it differs; sorted by alpha-2. A new array on every call, so no caller can change
        /// shared data.
        /// </summary>
        private static string[] CountryRows()
        {
            return new[]
            {
                "AD|AND|Andorra|Principality of Andorra",
                "AE|ARE|United Arab Emirates",
                "AF|AFG|Afghanistan|Islamic Republic of Afghanistan",
                "AG|ATG|Antigua and Barbuda",
                "AI|AIA|Anguilla",
                "AL|ALB|Albania|Republic of Albania",
                "AM|ARM|Armenia|Republic of Armenia",
                "AO|AGO|Angola|Republic of Angola",
                "AQ|ATA|Antarctica",
                "AR|ARG|Argentina|Argentine Republic",
                "AS|ASM|American Samoa",
                "AT|AUT|Austria|Republic of Austria",
                "AU|AUS|Australia",
                "AW|ABW|Aruba",
                "AX|ALA|\u00c5land Islands",
                "AZ|AZE|Azerbaijan|Republic of Azerbaijan",
                "BA|BIH|Bosnia and Herzegovina|Republic of Bosnia and Herzegovina",
                "BB|BRB|Barbados",
                "BD|BGD|Bangladesh|People's Republic of Bangladesh",
                "BE|BEL|Belgium|Kingdom of Belgium",
                "BF|BFA|Burkina Faso",
                "BG|BGR|Bulgaria|Republic of Bulgaria",
                "BH|BHR|Bahrain|Kingdom of Bahrain",
                "BI|BDI|Burundi|Republic of Burundi",
                "BJ|BEN|Benin|Republic of Benin",
                "BL|BLM|Saint Barth\u00e9lemy",
                "BM|BMU|Bermuda",
                "BN|BRN|Brunei Darussalam",
                "BO|BOL|Bolivia, Plurinational State of|Plurinational State of Bolivia",
                "BQ|BES|Bonaire, Sint Eustatius and Saba",
                "BR|BRA|Brazil|Federative Republic of Brazil",
                "BS|BHS|Bahamas|Commonwealth of the Bahamas",
                "BT|BTN|Bhutan|Kingdom of Bhutan",
                "BV|BVT|Bouvet Island",
                "BW|BWA|Botswana|Republic of Botswana",
                "BY|BLR|Belarus|Republic of Belarus",
                "BZ|BLZ|Belize",
                "CA|CAN|Canada",
                "CC|CCK|Cocos (Keeling) Islands",
                "CD|COD|Congo, The Democratic Republic of the",
                "CF|CAF|Central African Republic",
                "CG|COG|Congo|Republic of the Congo",
                "CH|CHE|Switzerland|Swiss Confederation",
                "CI|CIV|C\u00f4te d'Ivoire|Republic of C\u00f4te d'Ivoire",
                "CK|COK|Cook Islands",
                "CL|CHL|Chile|Republic of Chile",
                "CM|CMR|Cameroon|Republic of Cameroon",
                "CN|CHN|China|People's Republic of China",
                "CO|COL|Colombia|Republic of Colombia",
                "CR|CRI|Costa Rica|Republic of Costa Rica",
                "CU|CUB|Cuba|Republic of Cuba",
                "CV|CPV|Cabo Verde|Republic of Cabo Verde",
                "CW|CUW|Cura\u00e7ao",
                "CX|CXR|Christmas Island",
                "CY|CYP|Cyprus|Republic of Cyprus",
                "CZ|CZE|Czechia|Czech Republic",
                "DE|DEU|Germany|Federal Republic of Germany",
                "DJ|DJI|Djibouti|Republic of Djibouti",
                "DK|DNK|Denmark|Kingdom of Denmark",
                "DM|DMA|Dominica|Commonwealth of Dominica",
                "DO|DOM|Dominican Republic",
                "DZ|DZA|Algeria|People's Democratic Republic of Algeria",
                "EC|ECU|Ecuador|Republic of Ecuador",
                "EE|EST|Estonia|Republic of Estonia",
                "EG|EGY|Egypt|Arab Republic of Egypt",
                "EH|ESH|Western Sahara",
                "ER|ERI|Eritrea|State of Eritrea",
                "ES|ESP|Spain|Kingdom of Spain",
                "ET|ETH|Ethiopia|Federal Democratic Republic of Ethiopia",
                "FI|FIN|Finland|Republic of Finland",
                "FJ|FJI|Fiji|Republic of Fiji",
                "FK|FLK|Falkland Islands (Malvinas)",
                "FM|FSM|Micronesia, Federated States of|Federated States of Micronesia",
                "FO|FRO|Faroe Islands",
                "FR|FRA|France|French Republic",
                "GA|GAB|Gabon|Gabonese Republic",
                "GB|GBR|United Kingdom|United Kingdom of Great Britain and Northern Ireland",
                "GD|GRD|Grenada",
                "GE|GEO|Georgia",
                "GF|GUF|French Guiana",
                "GG|GGY|Guernsey",
                "GH|GHA|Ghana|Republic of Ghana",
                "GI|GIB|Gibraltar",
                "GL|GRL|Greenland",
                "GM|GMB|Gambia|Republic of the Gambia",
                "GN|GIN|Guinea|Republic of Guinea",
                "GP|GLP|Guadeloupe",
                "GQ|GNQ|Equatorial Guinea|Republic of Equatorial Guinea",
                "GR|GRC|Greece|Hellenic Republic",
                "GS|SGS|South Georgia and the South Sandwich Islands",
                "GT|GTM|Guatemala|Republic of Guatemala",
                "GU|GUM|Guam",
                "GW|GNB|Guinea-Bissau|Republic of Guinea-Bissau",
                "GY|GUY|Guyana|Republic of Guyana",
                "HK|HKG|Hong Kong|Hong Kong Special Administrative Region of China",
                "HM|HMD|Heard Island and McDonald Islands",
                "HN|HND|Honduras|Republic of Honduras",
                "HR|HRV|Croatia|Republic of Croatia",
                "HT|HTI|Haiti|Republic of Haiti",
                "HU|HUN|Hungary",
                "ID|IDN|Indonesia|Republic of Indonesia",
                "IE|IRL|Ireland",
                "IL|ISR|Israel|State of Israel",
                "IM|IMN|Isle of Man",
                "IN|IND|India|Republic of India",
                "IO|IOT|British Indian Ocean Territory",
                "IQ|IRQ|Iraq|Republic of Iraq",
                "IR|IRN|Iran, Islamic Republic of|Islamic Republic of Iran",
                "IS|ISL|Iceland|Republic of Iceland",
                "IT|ITA|Italy|Italian Republic",
                "JE|JEY|Jersey",
                "JM|JAM|Jamaica",
                "JO|JOR|Jordan|Hashemite Kingdom of Jordan",
                "JP|JPN|Japan",
                "KE|KEN|Kenya|Republic of Kenya",
                "KG|KGZ|Kyrgyzstan|Kyrgyz Republic",
                "KH|KHM|Cambodia|Kingdom of Cambodia",
                "KI|KIR|Kiribati|Republic of Kiribati",
                "KM|COM|Comoros|Union of the Comoros",
                "KN|KNA|Saint Kitts and Nevis",
                "KP|PRK|Korea, Democratic People's Republic of|Democratic People's Republic of Korea",
                "KR|KOR|Korea, Republic of",
                "KW|KWT|Kuwait|State of Kuwait",
                "KY|CYM|Cayman Islands",
                "KZ|KAZ|Kazakhstan|Republic of Kazakhstan",
                "LA|LAO|Lao People's Democratic Republic",
                "LB|LBN|Lebanon|Lebanese Republic",
                "LC|LCA|Saint Lucia",
                "LI|LIE|Liechtenstein|Principality of Liechtenstein",
                "LK|LKA|Sri Lanka|Democratic Socialist Republic of Sri Lanka",
                "LR|LBR|Liberia|Republic of Liberia",
                "LS|LSO|Lesotho|Kingdom of Lesotho",
                "LT|LTU|Lithuania|Republic of Lithuania",
                "LU|LUX|Luxembourg|Grand Duchy of Luxembourg",
                "LV|LVA|Latvia|Republic of Latvia",
                "LY|LBY|Libya",
                "MA|MAR|Morocco|Kingdom of Morocco",
                "MC|MCO|Monaco|Principality of Monaco",
                "MD|MDA|Moldova, Republic of|Republic of Moldova",
                "ME|MNE|Montenegro",
                "MF|MAF|Saint Martin (French part)",
                "MG|MDG|Madagascar|Republic of Madagascar",
                "MH|MHL|Marshall Islands|Republic of the Marshall Islands",
                "MK|MKD|North Macedonia|Republic of North Macedonia",
                "ML|MLI|Mali|Republic of Mali",
                "MM|MMR|Myanmar|Republic of Myanmar",
                "MN|MNG|Mongolia",
                "MO|MAC|Macao|Macao Special Administrative Region of China",
                "MP|MNP|Northern Mariana Islands|Commonwealth of the Northern Mariana Islands",
                "MQ|MTQ|Martinique",
                "MR|MRT|Mauritania|Islamic Republic of Mauritania",
                "MS|MSR|Montserrat",
                "MT|MLT|Malta|Republic of Malta",
                "MU|MUS|Mauritius|Republic of Mauritius",
                "MV|MDV|Maldives|Republic of Maldives",
                "MW|MWI|Malawi|Republic of Malawi",
                "MX|MEX|Mexico|United Mexican States",
                "MY|MYS|Malaysia",
                "MZ|MOZ|Mozambique|Republic of Mozambique",
                "NA|NAM|Namibia|Republic of Namibia",
                "NC|NCL|New Caledonia",
                "NE|NER|Niger|Republic of the Niger",
                "NF|NFK|Norfolk Island",
                "NG|NGA|Nigeria|Federal Republic of Nigeria",
                "NI|NIC|Nicaragua|Republic of Nicaragua",
                "NL|NLD|Netherlands|Kingdom of the Netherlands",
                "NO|NOR|Norway|Kingdom of Norway",
                "NP|NPL|Nepal|Federal Democratic Republic of Nepal",
                "NR|NRU|Nauru|Republic of Nauru",
                "NU|NIU|Niue",
                "NZ|NZL|New Zealand",
                "OM|OMN|Oman|Sultanate of Oman",
                "PA|PAN|Panama|Republic of Panama",
                "PE|PER|Peru|Republic of Peru",
                "PF|PYF|French Polynesia",
                "PG|PNG|Papua New Guinea|Independent State of Papua New Guinea",
                "PH|PHL|Philippines|Republic of the Philippines",
                "PK|PAK|Pakistan|Islamic Republic of Pakistan",
                "PL|POL|Poland|Republic of Poland",
                "PM|SPM|Saint Pierre and Miquelon",
                "PN|PCN|Pitcairn",
                "PR|PRI|Puerto Rico",
                "PS|PSE|Palestine, State of|State of Palestine",
                "PT|PRT|Portugal|Portuguese Republic",
                "PW|PLW|Palau|Republic of Palau",
                "PY|PRY|Paraguay|Republic of Paraguay",
                "QA|QAT|Qatar|State of Qatar",
                "RE|REU|R\u00e9union",
                "RO|ROU|Romania",
                "RS|SRB|Serbia|Republic of Serbia",
                "RU|RUS|Russian Federation",
                "RW|RWA|Rwanda|Rwandese Republic",
                "SA|SAU|Saudi Arabia|Kingdom of Saudi Arabia",
                "SB|SLB|Solomon Islands",
                "SC|SYC|Seychelles|Republic of Seychelles",
                "SD|SDN|Sudan|Republic of the Sudan",
                "SE|SWE|Sweden|Kingdom of Sweden",
                "SG|SGP|Singapore|Republic of Singapore",
                "SH|SHN|Saint Helena, Ascension and Tristan da Cunha",
                "SI|SVN|Slovenia|Republic of Slovenia",
                "SJ|SJM|Svalbard and Jan Mayen",
                "SK|SVK|Slovakia|Slovak Republic",
                "SL|SLE|Sierra Leone|Republic of Sierra Leone",
                "SM|SMR|San Marino|Republic of San Marino",
                "SN|SEN|Senegal|Republic of Senegal",
                "SO|SOM|Somalia|Federal Republic of Somalia",
                "SR|SUR|Suriname|Republic of Suriname",
                "SS|SSD|South Sudan|Republic of South Sudan",
                "ST|STP|Sao Tome and Principe|Democratic Republic of Sao Tome and Principe",
                "SV|SLV|El Salvador|Republic of El Salvador",
                "SX|SXM|Sint Maarten (Dutch part)",
                "SY|SYR|Syrian Arab Republic",
                "SZ|SWZ|Eswatini|Kingdom of Eswatini",
                "TC|TCA|Turks and Caicos Islands",
                "TD|TCD|Chad|Republic of Chad",
                "TF|ATF|French Southern Territories",
                "TG|TGO|Togo|Togolese Republic",
                "TH|THA|Thailand|Kingdom of Thailand",
                "TJ|TJK|Tajikistan|Republic of Tajikistan",
                "TK|TKL|Tokelau",
                "TL|TLS|Timor-Leste|Democratic Republic of Timor-Leste",
                "TM|TKM|Turkmenistan",
                "TN|TUN|Tunisia|Republic of Tunisia",
                "TO|TON|Tonga|Kingdom of Tonga",
                "TR|TUR|T\u00fcrkiye|Republic of T\u00fcrkiye",
                "TT|TTO|Trinidad and Tobago|Republic of Trinidad and Tobago",
                "TV|TUV|Tuvalu",
                "TW|TWN|Taiwan, Province of China",
                "TZ|TZA|Tanzania, United Republic of|United Republic of Tanzania",
                "UA|UKR|Ukraine",
                "UG|UGA|Uganda|Republic of Uganda",
                "UM|UMI|United States Minor Outlying Islands",
                "US|USA|United States|United States of America",
                "UY|URY|Uruguay|Eastern Republic of Uruguay",
                "UZ|UZB|Uzbekistan|Republic of Uzbekistan",
                "VA|VAT|Holy See (Vatican City State)",
                "VC|VCT|Saint Vincent and the Grenadines",
                "VE|VEN|Venezuela, Bolivarian Republic of|Bolivarian Republic of Venezuela",
                "VG|VGB|Virgin Islands, British|British Virgin Islands",
                "VI|VIR|Virgin Islands, U.S.|Virgin Islands of the United States",
                "VN|VNM|Viet Nam|Socialist Republic of Viet Nam",
                "VU|VUT|Vanuatu|Republic of Vanuatu",
                "WF|WLF|Wallis and Futuna",
                "WS|WSM|Samoa|Independent State of Samoa",
                "YE|YEM|Yemen|Republic of Yemen",
                "YT|MYT|Mayotte",
                "ZA|ZAF|South Africa|Republic of South Africa",
                "ZM|ZMB|Zambia|Republic of Zambia",
                "ZW|ZWE|Zimbabwe|Republic of Zimbabwe",
            };
        }

        /// <summary>Alternative spellings, one row per code: assigned alpha-2 code|alias|alias...</summary>
        private static string[] AliasRows()
        {
            // Matching ignores case, diacritics, punctuation, spacing and the word "the" (see MakeKey); "St" as a
            // first word reads as "Saint".
            return new[]
            {
                // Exceptionally or transitionally reserved alpha-2 codes that stand for (a part of) an assigned code,
                // withdrawn alpha-3 codes, and common abbreviations and sports codes.
                "GB|UK",
                "FR|FX|Metropolitan France",
                "TL|TP|TMP|East Timor",
                "CD|ZR|ZAR|Zaire|DRC|DR Congo|Democratic Republic of the Congo|Congo-Kinshasa",
                "MM|BU|BUR|Burma|Republic of the Union of Myanmar",
                "SH|AC|TA|Saint Helena|Ascension Island|Ascension|Tristan da Cunha",
                "ES|IC|EA|Espa\u00f1a|Canary Islands",
                "IO|DG|Diego Garcia|Chagos Islands|Chagos Archipelago",
                "RO|ROM",

                // English names in common use.
                "US|America|U.S. of America",
                "GB|Great Britain|Britain|England|Scotland|Wales|Cymru|Northern Ireland",
                "NL|Holland|NED|Nederland",
                "KR|South Korea|Korea|Republic of Korea|Korea, South|ROK",
                "KP|North Korea|DPR Korea|Korea, North|DPRK",
                "RU|Russia",
                "CZ|Czech|\u010cesko|\u010cesk\u00e1 republika",
                "CI|Ivory Coast",
                "TR|Turkey|Republic of Turkey",
                "IR|Iran",
                "SY|Syria",
                "LA|Laos|Lao PDR",
                "BO|Bolivia",
                "VE|Venezuela",
                "TZ|Tanzania",
                "MD|Moldova",
                "MK|Macedonia|FYROM|Former Yugoslav Republic of Macedonia",
                "SZ|Swaziland",
                "TW|Taiwan",
                "PS|Palestine|Palestinian Territories|Palestinian Territory|Occupied Palestinian Territory",
                "VA|Vatican|Vatican City|Vatican City State|Holy See",
                "BN|Brunei",
                "CV|Cape Verde",
                "FM|Micronesia",
                "AE|UAE|Emirates",
                "SA|Saudi|KSA",
                "ZA|RSA",
                "CN|PRC|Mainland China|Zhongguo",
                "CG|Congo Republic|Congo-Brazzaville",
                "BA|Bosnia|Bosnia-Herzegovina",
                "AG|Antigua",
                "AX|Aland",
                "BL|Saint Barts|Saint Barths",
                "BQ|Bonaire|Caribbean Netherlands|Sint Eustatius|Saba",
                "CC|Cocos Islands|Keeling Islands",
                "FK|Falkland Islands|Falklands|Malvinas|Islas Malvinas",
                "GS|South Georgia|South Sandwich Islands",
                "HM|Heard and McDonald Islands|Heard Island",
                "HK|Hong Kong SAR",
                "MO|Macau|Macao SAR|Macau SAR",
                "IE|Republic of Ireland|\u00c9ire",
                "KN|Saint Kitts",
                "MF|Saint Martin",
                "PN|Pitcairn Islands",
                "SJ|Svalbard|Jan Mayen",
                "SK|Slovensko",
                "ST|Sao Tome",
                "SX|Sint Maarten",
                "TC|Turks and Caicos",
                "TT|Trinidad",
                "UM|US Minor Outlying Islands",
                "VC|Saint Vincent",
                "VG|BVI",
                "VI|US Virgin Islands|United States Virgin Islands|USVI",
                "DE|GER|Deutschland",
                "CH|SUI|Schweiz|Suisse|Svizzera|Svizra|Helvetia|Confoederatio Helvetica",
                "PT|POR",
                "DK|DEN|Danmark",
                "GR|GRE|Hellas|Ellada",
                "HR|CRO|Hrvatska",

                // A few endonyms (names in the country's own language, written in Latin letters).
                "IT|Italia",
                "AT|\u00d6sterreich|Oesterreich",
                "PL|Polska",
                "SE|Sverige",
                "NO|Norge|Noreg",
                "FI|Suomi",
                "BR|Brasil",
                "MX|Estados Unidos Mexicanos",
                "JP|Nippon|Nihon",
                "BE|Belgique|Belgi\u00eb|Belgien",
                "HU|Magyarorsz\u00e1g",
                "LU|Luxemburg",
                "LT|Lietuva",
                "LV|Latvija",
                "EE|Eesti",
                "SI|Slovenija",
                "IN|Bharat",
            };
        }

        /// <summary>True when <paramref name="text"/> is exactly two ASCII letters.</summary>
        private static bool IsTwoAsciiLetters(string? text)
        {
            return text is not null && text.Length == 2 && IsAsciiLetter(text[0]) && IsAsciiLetter(text[1]);
        }

        /// <summary>True for A-Z and a-z only (no culture or Unicode case folding).</summary>
        private static bool IsAsciiLetter(char c)
        {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        }

        /// <summary>Adds the key of <paramref name="text"/>; a key that means another code is an error.</summary>
        private static void AddSuggestion(Dictionary<string, string> suggestions, string text, string alpha2)
        {
            string? key = MakeKey(text);
            if (key is null)
            {
                throw new InvalidOperationException("Country name '" + text + "' has no letters.");
            }

            if (suggestions.TryGetValue(key, out string? existing))
            {
                if (!string.Equals(existing, alpha2, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        "Country name '" + text + "' would suggest both " + existing + " and " + alpha2 + ".");
                }

                return;
            }

            suggestions.Add(key, alpha2);
        }

        /// <summary>
        /// The lookup key of a name: diacritics removed, letters upper-cased (invariant), every other character a
        /// word break, "&amp;" read as "and", the word "the" dropped, a leading "St" read as "Saint" when more words
        /// follow, and the words joined without spaces ("St. Kitts &amp; Nevis" gives "SAINTKITTSANDNEVIS").
        /// Null when no letter remains.
        /// </summary>
        private static string? MakeKey(string text)
        {
            string decomposed;
            try
            {
                decomposed = text.Normalize(NormalizationForm.FormD);
            }
            catch (ArgumentException)
            {
                // Malformed UTF-16 (a lone surrogate): go on with the text as it is.
                decomposed = text;
            }

            List<string> words = new List<string>();
            StringBuilder word = new StringBuilder();
            foreach (char c in decomposed)
            {
                UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
                if (category == UnicodeCategory.NonSpacingMark
                    || category == UnicodeCategory.SpacingCombiningMark
                    || category == UnicodeCategory.EnclosingMark)
                {
                    continue;
                }

                if (char.IsLetter(c))
                {
                    AppendUpper(word, c);
                    continue;
                }

                EndWord(words, word);
                if (c == '&')
                {
                    words.Add("AND");
                }
            }

            EndWord(words, word);
            words.RemoveAll(w => string.Equals(w, "THE", StringComparison.Ordinal));
            if (words.Count == 0)
            {
                return null;
            }

            if (words.Count > 1 && string.Equals(words[0], "ST", StringComparison.Ordinal))
            {
                words[0] = "SAINT";
            }

            return string.Concat(words);
        }

        /// <summary>Moves the letters gathered in <paramref name="word"/>, if any, to the word list.</summary>
        private static void EndWord(List<string> words, StringBuilder word)
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        /// <summary>Appends the invariant upper case of a letter, spelling out letters that do not decompose.</summary>
        private static void AppendUpper(StringBuilder word, char c)
        {
            switch (c)
            {
                case '\u00df': // sharp s
                    word.Append("SS");
                    break;
                case '\u00e6': // ae ligature
                case '\u00c6':
                    word.Append("AE");
                    break;
                case '\u0153': // oe ligature
                case '\u0152':
                    word.Append("OE");
                    break;
                case '\u00f8': // o with stroke
                case '\u00d8':
                    word.Append('O');
                    break;
                case '\u0142': // l with stroke
                case '\u0141':
                    word.Append('L');
                    break;
                case '\u0111': // d with stroke
                case '\u0110':
                case '\u00f0': // eth
                case '\u00d0':
                    word.Append('D');
                    break;
                case '\u00fe': // thorn
                case '\u00de':
                    word.Append("TH");
                    break;
                case '\u0131': // dotless i
                    word.Append('I');
                    break;
                default:
                    word.Append(char.ToUpperInvariant(c));
                    break;
            }
        }
    }
}

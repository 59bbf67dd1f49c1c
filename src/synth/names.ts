/**
 * Built-in name and place lists for synthetic patients.
 *
 * Why so many: the matcher must not be able to tell patients apart by a handful of common
 * names, and name collisions between unrelated corpora should be rare coincidences rather
 * than the norm. Why mixed origins: a New Zealand portal holds Maori, Pacific, European,
 * Asian and other names, and tokenisers must cope with all of them.
 *
 * Everything here is plain ASCII on purpose (macrons dropped, as many record systems do):
 * the PDF renderers use the standard 14 fonts, which only encode WinAnsi, and keeping text
 * identical across TXT, PDF, DOCX and scans is what the detection benchmarks compare.
 *
 * Lists are stored as space-separated strings to keep the file short and readable.
 */

function words(text: string): readonly string[] {
  return Object.freeze(text.split(/\s+/).filter((w) => w.length > 0));
}

export const GIVEN_FEMALE = words(`
  Aroha Ana Anahera Amelia Aria Ava Aaliyah Abigail Adele Agnes Aisha Alice Alisi Amara Amy
  Anika Ann Anna Annabel Ariana Audrey Bella Bethany Brooke Caitlin Camille Carmen Caroline
  Catherine Charlotte Chloe Claire Dahlia Daisy Deepika Diana Eleanor Elena Eliza Ella Ellie
  Emily Emma Erin Esther Eva Evelyn Faith Fatima Fiona Frances Georgia Grace Hana Hannah
  Harriet Hazel Heather Helen Hinemoa Hine Holly Imogen Indira Isla Ivy Jade Jasmine Jessica
  Jia Joanne Josephine Joy Julia Kahurangi Kaia Karen Kate Keira Kiri Kyra Laila Lana Laura
  Leah Lei Leilani Lena Lily Lina Linda Lisa Lucia Lucy Luseane Madison Maia Malia Manaia
  Margaret Maria Marama Mariam Mere Mei Mia Mihi Mila Mina Miriama Molly Naomi Neha Ngaio
  Ngaire Nikau Nina Noor Olivia Paige Pania Patricia Penelope Piata Pooja Priya Rachel Rangi
  Rawinia Rebecca Rose Ruby Ruth Sakura Salote Samira Sarah Selena Seini Sina Sophie Stella
  Susan Tamara Tania Te_Aroha Teuila Tiare Tui Vaea Valentina Victoria Violet Wairua Wen Xin
  Yasmin Yuki Zara Zoe Ximena Ngozi Olga Ingrid Katarzyna Siobhan Aoife Nadia Leilah Rua
`).map((n) => n.replace(/_/g, ' '));

export const GIVEN_MALE = words(`
  Aarav Adam Aidan Alexander Ali Amir Andrew Anaru Angus Anthony Arjun Ariki Benjamin Blake
  Bradley Caleb Callum Cameron Charlie Chen Christopher Connor Daniel David Dylan Eli Elijah
  Eru Ethan Faisal Felipe Finn Filipo Fraser George Hamish Harry Hemi Henare Henry Hohepa
  Hugo Hunter Ihaia Isaac Ivan Jack Jackson James Jamal Jarrah Jason Jayden Jesse Jin John
  Jonah Jordan Joseph Joshua Kahu Kai Kaleb Karan Kauri Keanu Kenji Kevin Kieran Kupe Lachlan
  Leo Levi Liam Lincoln Logan Luca Lucas Luke Manu Marcus Mark Matiu Matthew Max Mikaere
  Mohammed Nathan Nikhil Niko Noah Oliver Omar Oscar Paora Patrick Paul Peni Peter Rahul Rawiri
  Reuben Rhys Riley Rohan Ryan Sami Samuel Sean Semisi Sione Simon Sanjay Stephen Taine Tama
  Tamati Tane Taniela Te_Ariki Thomas Timote Tobias Tom Tyler Viliami Vikram Wei William
  Wiremu Xavier Yusuf Zac Zhang_Wei Hiroshi Dmitri Mateo Declan Oisin Piotr Lars Emeka Tevita
  Ropata Rangi Nikora Kamran Arash Duc Minh Joon Seung Rafael Tomasi Lisiate Pita Haare Tipene
`).map((n) => n.replace(/_/g, ' '));

/** Neutral names, used for a small share of patients of any gender. */
export const GIVEN_NEUTRAL = words(`
  Alex Ari Ash Avery Bailey Casey Charlie Drew Eden Emery Finley Frankie Harper Jamie Jesse
  Jordan Kai Kendall Lee Logan Morgan Nikau Parker Quinn Reese Riley River Rowan Sage Sam
  Skyler Taylor Toni Manaia Rangi Ocean Jules Robin Sasha Tamsin
`);

export const FAMILY = words(`
  Anderson Andrews Atkinson Bailey Baker Barnes Bell Bennett Black Brown Burke Butler
  Campbell Carter Chapman Clark Clarke Collins Cook Cooper Cox Craig Cunningham Davies Davis
  Dixon Duncan Edwards Elliott Evans Ferguson Fisher Fletcher Foster Fraser Gibson Graham
  Grant Gray Green Griffiths Hall Hamilton Harris Harrison Hart Hayes Henderson Hill Holmes
  Hughes Hunt Hunter Jackson James Jenkins Johnson Johnston Jones Kelly Kennedy King Knight
  Lawrence Lee Lewis Lloyd Marshall Martin Mason Matthews McDonald McKenzie McLean Miller
  Mitchell Moore Morgan Morris Murphy Murray Nelson Newman Palmer Parker Patel Paterson Pearce
  Phillips Powell Price Reid Richards Roberts Robertson Robinson Rogers Ross Russell Ryan Scott
  Shaw Simpson Smith Stevens Stewart Sullivan Taylor Thomas Thompson Turner Walker Wallace
  Ward Watson Webb White Wilkinson Williams Wilson Wood Wright Young
  Ngata Parata Tipene Hohaia Tawhiri Rangihuna Te_Whatu Karaka Waititi Horomona Pomare Tuhoe
  Paewai Te_Rangi Tamihana Whaanga Rewiti Kereama Ruatapu Hetaraka Tautahi Ngarimu Poutama
  Mahuika Tuhiwai Te_Kani Wihongi Heke Tomoana Smith-Tautahi Haereroa Kawhia Manihera
  Faleolo Tuilagi Fonoti Leota Aumua Tupou Fifita Taufa Vaipulu Havili Latu Mahe Kata Naufahu
  Seiuli Tuimavave Lealaiauloto Sapolu Afamasaga Toleafoa Vainikolo Ratu Naivalu Tabua Kolo
  Mateo Tangitau Matagi Tauiliili Pouono Falaniko Soliai Vaega Ioane Tiatia Sopoaga
  Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo
  Kim Park Choi Jung Kang Cho Yoon Jang Lim Han Nguyen Tran Le Pham Hoang Phan Vu Dang
  Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Sato Kato
  Singh Sharma Kumar Gupta Reddy Nair Iyer Mehta Desai Joshi Rao Pillai Chopra Kapoor Bhatt
  Malhotra Verma Prasad Naidu Chaudhry Khan Ahmed Hussain Rahman Hassan Ali Haddad Nasser
  Santos Reyes Cruz Bautista Garcia Mendoza Ramos Aquino Villanueva Dela_Cruz Fernandez
  Rodriguez Lopez Gonzalez Martinez Perez Sanchez Romero Torres Alvarez
  Muller Schmidt Schneider Fischer Weber Becker Hoffmann Koch Richter Klein
  Van_der_Merwe Botha Pretorius De_Vries Jansen Visser Bakker Smit Mulder De_Jong
  Kowalski Nowak Wisniewski Ivanov Petrov Popescu Novak Horvat Kovac Larsen Nielsen
  Hansen Johansson Andersson Lindqvist Olsen Berg Haugen Virtanen Korhonen Murphy-Byrne
  OBrien OConnor ONeill Gallagher Doyle Byrne Walsh Quinn Donnelly Brennan McCarthy
`).map((n) => n.replace(/_/g, ' ').replace(/^O(?=[A-Z])/, "O'"));

export interface CityInfo {
  name: string;
  /** Inclusive range of plausible four-digit postcodes for the city. */
  postcodes: readonly [number, number];
  /** Landline area code, printed as "(0X) NNN NNNN". */
  areaCode: string;
  suburbs: readonly string[];
}

const CITY_TABLE: readonly CityInfo[] = [
  { name: 'Auckland', postcodes: [600, 2699], areaCode: '09', suburbs: words(`
      Ponsonby Grey_Lynn Mt_Eden Epsom Remuera Parnell Newmarket Onehunga Otahuhu Papatoetoe
      Manurewa Mangere Henderson Glen_Eden New_Lynn Avondale Mt_Albert Sandringham Kingsland
      Takapuna Devonport Northcote Glenfield Albany Howick Pakuranga Botany Panmure Ellerslie
      Papakura Pukekohe Orewa Titirangi Mt_Roskill Three_Kings Point_Chevalier Westmere`) },
  { name: 'Wellington', postcodes: [6011, 6972], areaCode: '04', suburbs: words(`
      Kelburn Thorndon Newtown Island_Bay Karori Miramar Kilbirnie Brooklyn Johnsonville
      Khandallah Ngaio Tawa Porirua Petone Lower_Hutt Upper_Hutt Wainuiomata Eastbourne
      Seatoun Lyall_Bay Hataitai Wadestown Crofton_Downs Churton_Park`) },
  { name: 'Christchurch', postcodes: [8011, 8083], areaCode: '03', suburbs: words(`
      Riccarton Fendalton Merivale Papanui Sydenham Addington Linwood Woolston Sumner
      Cashmere Halswell Hornby Burnside Ilam Shirley Avonside Bryndwr Spreydon Redwood
      St_Albans Beckenham Opawa New_Brighton Aranui`) },
  { name: 'Hamilton', postcodes: [3200, 3290], areaCode: '07', suburbs: words(`
      Hamilton_East Claudelands Frankton Dinsdale Hillcrest Chartwell Rototuna Flagstaff
      Nawton Melville Fairfield Enderley Glenview Silverdale`) },
  { name: 'Dunedin', postcodes: [9010, 9092], areaCode: '03', suburbs: words(`
      Roslyn Maori_Hill Mornington Caversham St_Clair St_Kilda Andersons_Bay North_East_Valley
      Opoho Halfway_Bush Wakari Mosgiel Green_Island Port_Chalmers`) },
  { name: 'Tauranga', postcodes: [3110, 3119], areaCode: '07', suburbs: words(`
      Mount_Maunganui Papamoa Otumoetai Bethlehem Greerton Gate_Pa Welcome_Bay Bellevue
      Judea Brookfield Matua Pyes_Pa`) },
  { name: 'Palmerston North', postcodes: [4410, 4481], areaCode: '06', suburbs: words(`
      Hokowhitu Roslyn Awapuni Highbury Takaro Terrace_End Kelvin_Grove Milson Westbrook Cloverlea`) },
  { name: 'Nelson', postcodes: [7010, 7020], areaCode: '03', suburbs: words(`
      Stoke Tahunanui Atawhai The_Wood Enner_Glynn Richmond Washington_Valley Annesbrook`) },
  { name: 'Napier', postcodes: [4104, 4112], areaCode: '06', suburbs: words(`
      Taradale Greenmeadows Marewa Onekawa Tamatea Ahuriri Bluff_Hill Pirimai Maraenui`) },
  { name: 'Whangarei', postcodes: [110, 118], areaCode: '09', suburbs: words(`
      Kensington Regent Tikipunga Onerahi Maunu Kamo Raumanga Morningside Woodhill Otangarei`) },
  { name: 'Invercargill', postcodes: [9810, 9877], areaCode: '03', suburbs: words(`
      Waikiwi Georgetown Appleby Glengarry Windsor Richmond Hawthorndale Otatara Strathern`) },
];

export const CITIES: readonly CityInfo[] = CITY_TABLE.map((c) => ({ ...c, suburbs: c.suburbs.map((s) => s.replace(/_/g, ' ')) }));

export const STREET_NAMES = words(`
  Abbey Acacia Albert Alexander Anzac Arthur Ascot Ash Aotea Avon Balmoral Bank Barrington
  Bayview Beach Beaumont Bellevue Birch Blenheim Bridge Brighton Broadway Brook Cambridge
  Carlton Castle Cedar Chapel Church Clarence Cliff College Coronation Crown Dee Devon
  Domain Douglas Dunstan Durham Edinburgh Elm Esplanade Fairview Fern Fitzroy Forest Fox
  Garden George Gladstone Glen Grafton Great_North Green Grey Hall Harbour Hereford High
  Highland Hill Hinemoa Hobson Holly Hope Huia Jervois Kauri Kent Kereru Kiwi Kowhai Lake
  Lancaster Larch Lincoln Linden Lucknow Main Manuka Maple Marine Market Matai Meadow
  Melrose Mill Miro Moana Montgomery Nelson Ngaio Nikau Norfolk Oak Ocean Orchard Oxford
  Palm Park Pine Pohutukawa Poplar Princes Puriri Queen Rata Raglan Rangitoto Regent Rewa
  Rimu River Riverside Rose Ruapehu Selwyn Seaview Somerset Spring St_Andrews St_Johns
  Station Stanley Sunset Tainui Tasman Taupo Te_Atatu Terrace Thames Titoki Totara Tui
  Union Valley Victoria Vine View Waimea Waitaki Wakefield Walnut Waratah Waterloo Wellesley
  Westminster Whitaker Willow Windsor York
`).map((s) => s.replace(/_/g, ' '));

export const STREET_TYPES = words(
  'Street Street Street Road Road Road Avenue Avenue Crescent Place Terrace Drive Lane Way Grove Close Parade Rise',
);

/** Name patterns for general practices; `{S}` is a suburb, `{T}` a street, `{F}` a family name. */
export const PRACTICE_PATTERNS: readonly string[] = [
  '{S} Medical Centre', '{S} Family Health', '{S} Health Centre', '{T} Road Surgery',
  '{S} Doctors', '{F} and Partners General Practice', '{S} Community Health',
  '{S} Primary Care', '{T} Medical Practice', 'The {T} Clinic', '{S} Whanau Ora Health',
  '{S} Integrated Family Health Centre',
];

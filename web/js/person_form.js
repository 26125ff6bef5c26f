// The fields of a cadre's personal record, for entering a new cadre and for changing one.
import { field, input, select } from './forms.js';
import { EDUCATION_NAMES, GENDER_NAMES, OCCUPATION_NAMES, POLITICAL_NAMES } from './labels.js';

// The members of the record these fields edit, to compare a form with what was read.
export const PERSON_MEMBERS = ['name', 'gender', 'birth_date', 'ethnicity', 'education',
  'political_status', 'id_number', 'mobile', 'occupation'];

// personFields(person): the controls, filled from person (a new cadre: {}).
export function personFields(person) {
  return [
    field('姓名', input('name', person.name, { maxlength: 64, autocomplete: 'off' })),
    field('性别', select('gender', GENDER_NAMES, person.gender || 'female')),
    field('出生日期', input('birth_date', person.birth_date, { type: 'date' })),
    field('民族', input('ethnicity', person.ethnicity || '汉族', { maxlength: 16 })),
    field('学历', select('education', EDUCATION_NAMES, person.education, '请选择')),
    field('政治面貌', select('political_status', POLITICAL_NAMES, person.political_status, '请选择')),
    field('身份证号', input('id_number', person.id_number, {
      maxlength: 18, autocomplete: 'off', spellcheck: 'false', inputmode: 'text',
    }), '18 位，末位可为 X。'),
    field('手机号', input('mobile', person.mobile, { type: 'tel', maxlength: 11, autocomplete: 'off' })),
    field('职业类别', select('occupation', OCCUPATION_NAMES, person.occupation || 'other')),
  ];
}

// personOf(record): the members of a cadre record that personFields edits.
export function personOf(record) {
  return Object.fromEntries(PERSON_MEMBERS.map((name) => [name, record[name] ?? null]));
}

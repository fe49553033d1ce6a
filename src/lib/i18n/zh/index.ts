/** The Chinese dictionary: every area's strings. Its keys are the message keys (`MessageKey`). */
import { account } from './account';
import { alerts } from './alerts';
import { admin } from './admin';
import { common } from './common';
import { hotline } from './hotline';
import { reports } from './reports';
import { supervision } from './supervision';
import { wall } from './wall';

export const zh = { ...wall, ...common, ...account, ...admin, ...hotline, ...supervision, ...reports, ...alerts };
